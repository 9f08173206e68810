import { describe, expect, it } from 'vitest';
import { chiSquareSf, regularizedGammaQ, studentTCdf, studentTQuantile } from '@/lib/domain/distributions';
import {
  compareArms,
  sequentialCi,
  sequentialMultiplier,
  srmCheck,
  type ArmComparison,
  type BinomialArm,
  type ContinuousArm,
  type NotEnoughData,
  type SequentialResult,
  type TestOptions,
} from '@/lib/domain/experiment-stats';

/** |actual − expected| ≤ tolerance · |expected| (relative), or ≤ tolerance when expected is 0. */
function expectClose(actual: number, expected: number, tolerance = 1e-7) {
  if (!Number.isFinite(expected)) return expect(actual).toBe(expected);
  const scale = expected === 0 ? 1 : Math.abs(expected);
  expect(Math.abs(actual - expected) / scale, `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

type RefOpts = { sides?: 1 | 2; alternative?: 'greater' | 'less'; alpha?: number; nstar?: number };
type RefCase = { kind: string; a: number[]; b: number[]; opts: RefOpts };
type CompareRef = Record<'meanA' | 'meanB' | 'absoluteDiff' | 'relativeLift' | 'pValue' | 'df' | 'se' | 'absoluteSe' | 'scipyWelchAbsoluteP', number> & {
  relativeCi: (number | null)[];
  absoluteCi: (number | null)[];
};
type SequentialRef = Record<'relativeLift' | 'pValue' | 'multiplier' | 'se' | 'n', number> & { relativeCi: (number | null)[] };

// Reference values: printed by tests/unit/reference/experiment-stats.py (scipy 1.17.1, numpy),
// pasted verbatim. null in an interval = the open side of a one-sided interval (±Infinity).
const T_CDF: [number, number, number][] = [[1, -40.0, 0.007956089912025812], [1, -8.0, 0.039583424160565546], [1, -3.0, 0.10241638234956672], [1, -1.5, 0.18716704181099886], [1, -0.1, 0.4682744825694465], [1, 0.0, 0.5], [1, 0.5, 0.6475836176504333], [1, 2.0, 0.8524163823495667], [1, 6.0, 0.9474315432887466], [2, -40.0, 0.0003122073360923703], [2, -8.0, 0.00763403608266907], [2, -3.0, 0.04773298313335456], [2, -1.5, 0.13619656244550055], [2, -0.1, 0.4647327192070701], [2, 0.0, 0.5], [2, 0.5, 0.6666666666666666], [2, 2.0, 0.908248290463863], [2, 6.0, 0.9866642633922876], [3, -40.0, 1.7190340394579253e-05], [3, -8.0, 0.002038288793892733], [3, -3.0, 0.02883444281121865], [3, -1.5, 0.11529193262241147], [3, -0.1, 0.46332617440040297], [3, 0.0, 0.5], [3, 0.5, 0.6742760175759245], [3, 2.0, 0.9303370157205785], [3, 6.0, 0.9953636425538577], [5.5, -40.0, 2.70525499452305e-08], [5.5, -8.0, 0.00015655291719173547], [5.5, -3.0, 0.013361740330922953], [5.5, -1.5, 0.0943384844535493], [5.5, -0.1, 0.46194428057154585], [5.5, 0.0, 0.5], [5.5, 0.5, 0.6817798256422933], [5.5, 2.0, 0.9516228048844075], [5.5, 6.0, 0.9993396086332332], [10, -40.0, 1.1404288715428768e-12], [10, -8.0, 5.887471394833083e-06], [10, -3.0, 0.006671827511284785], [10, -1.5, 0.08225366322272007], [10, -0.1, 0.4611603592822041], [10, 0.0, 0.5], [10, 0.5, 0.6860531971285135], [10, 2.0, 0.9633059826146299], [10, 6.0, 0.9999339455698226], [30, -40.0, 6.863022597203209e-28], [30, -8.0, 3.1329112378503795e-09], [30, -3.0, 0.0026949820328259727], [30, -1.5, 0.072032964564323], [30, -0.1, 0.4605048058951356], [30, 0.0, 0.5], [30, 0.5, 0.6896384975574363], [30, 2.0, 0.9726874775185085], [30, 6.0, 0.9999993028615617], [100, -40.0, 1.2310538010700354e-63], [100, -8.0, 1.1364324038640347e-12], [100, -3.0, 0.0017039576716647233], [100, -1.5, 0.06838252906234442], [100, -0.1, 0.4602722655479256], [100, 0.0, 0.5], [100, 0.5, 0.6909132170845567], [100, 2.0, 0.9758939106344332], [100, 6.0, 0.9999999841375425], [1000, -40.0, 5.239426077586636e-210], [1000, -8.0, 1.7133307411957489e-15], [1000, -3.0, 0.0013833545221190963], [1000, -1.5, 0.06696501941104313], [1000, -0.1, 0.46018218451180204], [1000, 0.0, 0.5], [1000, 0.5, 0.6914074595830626], [1000, 2.0, 0.9771148267533741], [1000, 6.0, 0.9999999986223154], [10000.0, -40.0, 0.0], [10000.0, -8.0, 6.910604364532651e-16], [10000.0, -3.0, 0.001353224094998833], [10000.0, -1.5, 0.06682298591180982], [10000.0, -0.1, 0.4601731650155375], [10000.0, 0.0, 0.5], [10000.0, 0.5, 0.6914569603383831], [10000.0, 2.0, 0.9772363696692823], [10000.0, 6.0, 0.9999999989791908], [100000.0, -40.0, 0.0], [100000.0, -8.0, 6.286959938128173e-16], [100000.0, -3.0, 0.0013502304420323617], [100000.0, -1.5, 0.06680877976141533], [100000.0, -0.1, 0.46017226295336316], [100000.0, 0.0, 0.5], [100000.0, 0.5, 0.6914619111727911], [100000.0, 2.0, 0.9772485182712467], [100000.0, 6.0, 0.9999999990100352], [1000000.0, -40.0, 0.0], [1000000.0, -8.0, 6.227531716601252e-16], [1000000.0, -3.0, 0.0013499312707109], [1000000.0, -1.5, 0.0668073591183964], [1000000.0, -0.1, 0.4601721727460216], [1000000.0, 0.0, 0.5], [1000000.0, 0.5, 0.6914624062638143], [1000000.0, 2.0, 0.9772497330743404], [1000000.0, 6.0, 0.9999999990130751], [10000000.0, -40.0, 0.0], [10000000.0, -8.0, 6.221617401403415e-16], [10000000.0, -3.0, 0.0013499013555185817], [10000000.0, -1.5, 0.06680721705381476], [10000000.0, -0.1, 0.4601721637252762], [10000000.0, 0.0, 0.5], [10000000.0, 0.5, 0.6914624557729926], [10000000.0, 2.0, 0.9772498545540785], [10000000.0, 6.0, 0.9999999990133787], [1000000000.0, -40.0, 0.0], [1000000000.0, -8.0, 6.220967142227346e-16], [1000000000.0, -3.0, 0.0013498980648689565], [1000000000.0, -1.5, 0.06680720142670762], [1000000000.0, -0.1, 0.4601721627329941], [1000000000.0, 0.0, 0.5], [1000000000.0, 0.5, 0.6914624612190028], [1000000000.0, 2.0, 0.9772498679168434], [1000000000.0, 6.0, 0.999999999013412]];
const T_PPF: [number, number, number][] = [[1, 1e-10, -3183098861.8379064], [1, 0.001, -318.30883898555044], [1, 0.025, -12.706204736174705], [1, 0.3, -0.7265425280053609], [1, 0.9, 3.0776835371752544], [1, 0.975, 12.706204736174694], [1, 0.9999, 3183.098757118502], [2, 1e-10, -70710.67810804816], [2, 0.001, -22.327124770119873], [2, 0.025, -4.302652729749464], [2, 0.3, -0.6172133998483678], [2, 0.9, 1.8856180831641272], [2, 0.975, 4.302652729749462], [2, 0.9999, 70.70007107496818], [3, 1e-10, -2225.769284683093], [3, 0.001, -10.214531852407385], [3, 0.025, -3.1824463052837086], [3, 0.3, -0.5843897274398188], [3, 0.9, 1.637744353696209], [3, 0.975, 3.1824463052837078], [3, 0.9999, 22.203742273205], [5.5, 1e-10, -110.87696465656079], [5.5, 0.001, -5.504714867160981], [5.5, 0.025, -2.501858617589239], [5.5, 0.3, -0.5561204847180871], [5.5, 0.9, 1.4559770334640723], [5.5, 0.975, 2.501858617589239], [5.5, 0.9999, 8.72734635345732], [10, 1e-10, -25.466008021697725], [10, 0.001, -4.143700494046589], [10, 0.025, -2.2281388519862753], [10, 0.3, -0.5415280387550154], [10, 0.9, 1.372183641110336], [10, 0.975, 2.228138851986274], [10, 0.9999, 5.693820101457592], [30, 1e-10, -9.377489780407144], [30, 0.001, -3.385184866829305], [30, 0.025, -2.042272456301238], [30, 0.3, -0.5300190039065046], [30, 0.9, 1.3104150253913955], [30, 0.975, 2.0422724563012378], [30, 0.9999, 4.23398595727206], [100, 1e-10, -7.083375481400722], [100, 0.001, -3.173739493738783], [100, 0.025, -1.983971518523552], [100, 0.3, -0.5260762706003465], [100, 0.9, 1.290074761346516], [100, 0.975, 1.9839715185235518], [100, 0.9999, 3.861599790950091], [1000, 1e-10, -6.427876283134213], [1000, 0.001, -3.0984021639129233], [1000, 0.025, -1.9623390808264085], [1000, 0.3, -0.524567707309227], [1000, 0.9, 1.2823987214609247], [1000, 0.975, 1.9623390808264083], [1000, 0.9999, 3.7328516045753966], [10000.0, 1e-10, -6.367941351482803], [10000.0, 0.001, -3.091047516030612], [10000.0, 0.025, -1.9602012398906263], [10000.0, 0.3, -0.524417228345467], [10000.0, 0.9, 1.2816362297304775], [10000.0, 0.975, 1.960201239890626], [10000.0, 0.9999, 3.7203958691176684], [100000.0, 1e-10, -6.362000419843692], [100000.0, 0.001, -3.090313809427238], [100000.0, 0.025, -1.95998770753461], [100000.0, 0.3, -0.5244021842335457], [100000.0, 0.9, 1.2815600314493614], [100000.0, 0.975, 1.9599877075346095], [100000.0, 0.9999, 3.7191543826413724], [1000000.0, 1e-10, -6.361406848876743], [1000000.0, 0.001, -3.09024045631652], [1000000.0, 0.025, -1.9599663568141072], [1000000.0, 0.3, -0.5244006798602092], [1000000.0, 0.9, 1.281552412129939], [1000000.0, 0.975, 1.959966356814107], [1000000.0, 0.9999, 3.719030274762571], [10000000.0, 1e-10, -6.361347496998616], [10000000.0, 0.001, -3.090233121180912], [10000000.0, 0.025, -1.9599642217672055], [10000000.0, 0.3, -0.5244005294232538], [10000000.0, 0.9, 1.2815516502030833], [10000000.0, 0.975, 1.959964221767205], [10000000.0, 0.9999, 3.7190178643822778], [1000000000.0, 1e-10, -6.3613409683499444], [1000000000.0, 0.001, -3.0902323143179427], [1000000000.0, 0.025, -1.9599639869123253], [1000000000.0, 0.3, -0.5244005128751928], [1000000000.0, 0.9, 1.2815515663911852], [1000000000.0, 0.975, 1.959963986912325], [1000000000.0, 0.9999, 3.7190164992449692]];
const CHI2_SF: [number, number, number][] = [[0.0, 1, 1.0], [0.01, 1, 0.920344325445942], [0.5, 1, 0.47950012218695337], [1.0, 1, 0.31731050786291115], [3.84, 1, 0.05004352124870519], [7.0, 1, 0.008150971593502705], [20.0, 1, 7.744216431044088e-06], [45.0, 1, 1.970344471179912e-11], [120.0, 1, 6.326068263677272e-28], [0.0, 2, 1.0], [0.01, 2, 0.9950124791926823], [0.5, 2, 0.7788007830714049], [1.0, 2, 0.6065306597126334], [3.84, 2, 0.14660696213035013], [7.0, 2, 0.0301973834223185], [20.0, 2, 4.539992976248486e-05], [45.0, 2, 1.69189792261513e-10], [120.0, 2, 8.756510762696494e-27], [0.0, 3, 1.0], [0.01, 3, 0.9997348349413444], [0.5, 3, 0.9188914116546758], [1.0, 3, 0.8012519569012009], [3.84, 3, 0.27926761711860965], [7.0, 3, 0.07189777249646509], [20.0, 3, 0.00016974243555282632], [45.0, 3, 9.252702104537306e-10], [120.0, 3, 7.716790355634162e-26], [0.0, 5, 1.0], [0.01, 5, 0.9999994699729957], [0.5, 5, 0.9921232932326296], [1.0, 5, 0.9625657732472964], [3.84, 5, 0.5726744598320888], [7.0, 5, 0.22064030793671066], [20.0, 5, 0.0012497305630313773], [45.0, 5, 1.4508771696582657e-08], [120.0, 5, 3.1385797727553017e-24], [0.0, 9, 1.0], [0.01, 9, 0.9999999999991591], [0.5, 9, 0.9999695662588389], [1.0, 9, 0.9994375026978325], [3.84, 9, 0.9216240561764936], [7.0, 9, 0.6371194071693984], [20.0, 9, 0.017912404529843298], [45.0, 9, 9.226628710549154e-07], [120.0, 9, 1.336164776532522e-21]];
const COMPARE: Record<string, RefCase & { expected: CompareRef }> = {"binomial": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {}, "expected": {"meanA": 0.1, "meanB": 0.108, "absoluteDiff": 0.007999999999999993, "relativeLift": 0.07999999999999993, "relativeCi": [-0.00794461242595458, 0.16794461242595443], "absoluteCi": [-0.0004610213663095303, 0.016461021366309517], "pValue": 0.0745989365936749, "df": 19974.904811103985, "se": 0.0448678058300158, "absoluteSe": 0.004316665379665188, "scipyWelchAbsoluteP": 0.06385662745420846}}, "binomialGreater": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {"sides": 1, "alternative": "greater"}, "expected": {"meanA": 0.1, "meanB": 0.108, "absoluteDiff": 0.007999999999999993, "relativeLift": 0.07999999999999993, "relativeCi": [0.006195603983852674, null], "absoluteCi": [0.0008993879852963096, null], "pValue": 0.03729946829683745, "df": 19974.904811103985, "se": 0.0448678058300158, "absoluteSe": 0.004316665379665188, "scipyWelchAbsoluteP": 0.06385662745420846}}, "binomialLess": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {"sides": 1, "alternative": "less"}, "expected": {"meanA": 0.1, "meanB": 0.108, "absoluteDiff": 0.007999999999999993, "relativeLift": 0.07999999999999993, "relativeCi": [null, 0.1538043960161472], "absoluteCi": [null, 0.015100612014703677], "pValue": 0.9627005317031625, "df": 19974.904811103985, "se": 0.0448678058300158, "absoluteSe": 0.004316665379665188, "scipyWelchAbsoluteP": 0.06385662745420846}}, "binomialTiny": {"kind": "binomial", "a": [20, 3], "b": [25, 7], "opts": {}, "expected": {"meanA": 0.15, "meanB": 0.28, "absoluteDiff": 0.13000000000000003, "relativeLift": 0.8666666666666669, "relativeCi": [-1.472747829005472, 3.2060811623388057], "absoluteCi": [-0.11233055824022167, 0.37233055824022177], "pValue": 0.4590631847941147, "df": 42.99997889736587, "se": 1.1600255425029484, "absoluteSe": 0.1201623901227002, "scipyWelchAbsoluteP": 0.2853406261640509}}, "binomialHuge": {"kind": "binomial", "a": [5000000, 250000], "b": [5000000, 251500], "opts": {}, "expected": {"meanA": 0.05, "meanB": 0.0503, "absoluteDiff": 0.0002999999999999947, "relativeLift": 0.005999999999999894, "relativeCi": [0.0005728701827668143, 0.011427129817232973], "absoluteCi": [2.9454061309453546e-05, 0.0005705459386905359], "pValue": 0.030246189335820267, "df": 9999917.7356177, "se": 0.0027689943300772575, "absoluteSe": 0.00013803616192867722, "scipyWelchAbsoluteP": 0.02975449463539872}}, "binomialAllConvertTreatment": {"kind": "binomial", "a": [50, 25], "b": [40, 40], "opts": {}, "expected": {"meanA": 0.5, "meanB": 1.0, "absoluteDiff": 0.5, "relativeLift": 1.0, "relativeCi": [0.43160628900854026, 1.5683937109914599], "absoluteCi": [0.35790157225213504, 0.642098427747865], "pValue": 0.0009000029669488143, "df": 48.99999999999999, "se": 0.282842712474619, "absoluteSe": 0.07071067811865475, "scipyWelchAbsoluteP": 5.148827364629845e-09}}, "binomialAllConvertControl": {"kind": "binomial", "a": [40, 40], "b": [50, 45], "opts": {"alpha": 0.1}, "expected": {"meanA": 1.0, "meanB": 0.9, "absoluteDiff": -0.09999999999999998, "relativeLift": -0.09999999999999998, "relativeCi": [-0.17113003031042415, -0.02886996968957581], "absoluteCi": [-0.17113003031042415, -0.02886996968957581], "pValue": 0.022462232199022537, "df": 49.0, "se": 0.04242640687119285, "absoluteSe": 0.04242640687119285, "scipyWelchAbsoluteP": 0.022462232199022547}}, "continuous": {"kind": "continuous", "a": [500, 9839.976853299799, 286747.89346112416], "b": [480, 10924.741345975777, 365772.1068774754], "opts": {}, "expected": {"meanA": 19.679953706599598, "meanB": 22.759877804116204, "absoluteDiff": 3.0799240975166065, "relativeLift": 0.15650057634453507, "relativeCi": [0.056359077759075116, 0.256642074929995], "absoluteCi": [1.2362923559314196, 4.923555839101793], "pValue": 0.002223976034691267, "df": 948.9686355219669, "se": 0.05102837421345726, "absoluteSe": 0.9394460014110118, "scipyWelchAbsoluteP": 0.0010817257257937256}}, "continuousZeroVarianceControl": {"kind": "continuous", "a": [100, 500.0, 2500.0], "b": [480, 10924.741345975777, 365772.1068774754], "opts": {}, "expected": {"meanA": 5.0, "meanB": 22.759877804116204, "absoluteDiff": 17.759877804116204, "relativeLift": 3.551975560823241, "relativeCi": [3.271486636472626, 3.8324644851738556], "absoluteCi": [16.35743318236313, 19.162322425869277], "pValue": 2.4339892510687356e-88, "df": 479.0, "se": 0.14274762318547646, "absoluteSe": 0.7137381159273822, "scipyWelchAbsoluteP": 2.4339892510688835e-88}}};
const SEQ_MULTIPLIERS: [number, number][] = [[1000, 3.363887725782781], [5000, 3.0352089903762534], [20000, 3.1271141436879906], [100000, 3.336857533786599]];
const EPPO_MULTIPLIERS: [number, number][] = [[1000, 3.855054633530311], [10000, 3.0352089903762525], [100000, 3.241723145405438]];
const SEQ_ONE_SIDED_MULTIPLIERS: [number, number][] = [[1000, 3.152422454674439], [5000, 2.7790942353135217], [20000, 2.8681965392725495]];
const SEQUENTIAL: Record<string, RefCase & { expected: SequentialRef }> = {"binomial": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {}, "expected": {"relativeLift": 0.07999999999999993, "relativeCi": [-0.060306750207288956, 0.22030675020728882], "pValue": 1.0, "multiplier": 3.1271141436879906, "se": 0.0448678058300158, "n": 20000}}, "binomialNStar10k": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {"nstar": 10000}, "expected": {"relativeLift": 0.07999999999999993, "relativeCi": [-0.05736176540916013, 0.21736176540916], "pValue": 0.9207896935915012, "multiplier": 3.061477218867417, "se": 0.0448678058300158, "n": 20000}}, "binomialGreater": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {"sides": 1, "alternative": "greater"}, "expected": {"relativeLift": 0.07999999999999993, "relativeCi": [-0.048689685406404115, null], "pValue": 1.0, "multiplier": 2.8681965392725495, "se": 0.0448678058300158, "n": 20000}}, "binomialLessNotRejected": {"kind": "binomial", "a": [10000, 1000], "b": [10000, 1080], "opts": {"sides": 1, "alternative": "less"}, "expected": {"relativeLift": 0.07999999999999993, "relativeCi": [null, 0.20868968540640398], "pValue": 1.0, "multiplier": 2.8681965392725495, "se": 0.0448678058300158, "n": 20000}}, "binomialHuge": {"kind": "binomial", "a": [5000000, 250000], "b": [5000000, 251500], "opts": {}, "expected": {"relativeLift": 0.005999999999999894, "relativeCi": [-0.0049593583438805496, 0.016959358343880338], "pValue": 1.0, "multiplier": 3.957883995946885, "se": 0.0027689943300772575, "n": 10000000}}, "binomialStrong": {"kind": "binomial", "a": [20000, 2000], "b": [20000, 2250], "opts": {}, "expected": {"relativeLift": 0.12499999999999997, "relativeCi": [0.019988964714929947, 0.23001103528507], "pValue": 0.006015949965084752, "multiplier": 3.2121578299242395, "se": 0.03269174207655505, "n": 40000}}, "binomialStrongGreater": {"kind": "binomial", "a": [20000, 2000], "b": [20000, 2250], "opts": {"sides": 1, "alternative": "greater"}, "expected": {"relativeLift": 0.12499999999999997, "relativeCi": [0.028316786490315562, null], "pValue": 0.0035864912836159357, "multiplier": 2.957420050705128, "se": 0.03269174207655505, "n": 40000}}, "binomialStrongLessAlpha10": {"kind": "binomial", "a": [20000, 2250], "b": [20000, 2000], "opts": {"sides": 1, "alternative": "less", "alpha": 0.1}, "expected": {"relativeLift": -0.11111111111111108, "relativeCi": [null, -0.04222063821581895], "pValue": 0.0005880435253439157, "multiplier": 2.6670192293188384, "se": 0.025830512258018808, "n": 40000}}, "continuous": {"kind": "continuous", "a": [500, 9839.976853299799, 286747.89346112416], "b": [480, 10924.741345975777, 365772.1068774754], "opts": {}, "expected": {"relativeLift": 0.15650057634453507, "relativeCi": [-0.015675518699652752, 0.3286766713887229], "pValue": 0.09130522940727186, "multiplier": 3.3741246453190223, "se": 0.05102837421345726, "n": 980}}};
const SRM: [number[], number[], number, number][] = [[[5000, 5000], [1, 1], 0.0, 1.0], [[5100, 4900], [1, 1], 4.0, 0.04550026389635857], [[10000, 10350], [50, 50], 6.019656019656019, 0.014147403886021571], [[3300, 3350, 3400], [1, 1, 1], 1.492537313432836, 0.4741324069602937], [[1000, 3100], [25, 75], 0.8130081300813008, 0.3672323880406274], [[10000, 11000], [1, 1], 47.61904761904762, 5.176309056990159e-12], [[3, 9], [1, 1], 3.0, 0.08326451666355042]];


const arm = (kind: string, v: number[]): BinomialArm | ContinuousArm =>
  kind === 'binomial' ? { units: v[0]!, conversions: v[1]! } : { units: v[0]!, sum: v[1]!, sumSquares: v[2]! };
const options = (c: RefCase): TestOptions => ({
  metricType: c.kind === 'binomial' ? 'binomial' : 'continuous',
  sides: c.opts.sides ?? 2,
  alternative: c.opts.alternative ?? 'greater',
  alpha: c.opts.alpha ?? 0.05,
});
const bounds = (ci: (number | null)[]): [number, number] => [ci[0] ?? Number.NEGATIVE_INFINITY, ci[1] ?? Number.POSITIVE_INFINITY];

describe('Student t distribution (scipy.stats.t)', () => {
  it.each(T_CDF)('cdf(t = %s | df = %s)', (df, t, expected) => {
    const actual = studentTCdf(t, df);
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-10);
    if (expected < 1e-3) expectClose(actual, expected, 1e-8); // tails keep relative accuracy
  });
  it.each(T_PPF)('ppf(df = %s, p = %s)', (df, p, expected) => expectClose(studentTQuantile(p, df), expected, 1e-9));
  it('is symmetric and exact at the ends', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(1, 7)).toBe(Number.POSITIVE_INFINITY);
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 3)).toBe(0);
    expect(() => studentTCdf(1, 0)).toThrow(RangeError);
  });
});

describe('chi-square survival (scipy.stats.chi2.sf)', () => {
  it.each(CHI2_SF)('sf(%s | df = %s)', (x, k, expected) => expectClose(chiSquareSf(x, k), expected, 1e-10));
  it('Q(a, 0) = 1 and rejects a ≤ 0', () => {
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(() => regularizedGammaQ(0, 1)).toThrow(RangeError);
  });
});

describe('compareArms (Welch t on the delta-method relative lift, as gbstats)', () => {
  it.each(Object.entries(COMPARE))('%s', (_name, c) => {
    const result = compareArms(arm(c.kind, c.a), arm(c.kind, c.b), options(c));
    expect(result.status).toBe('ok');
    const r = result as ArmComparison;
    const e = c.expected;
    for (const key of ['meanA', 'meanB', 'absoluteDiff', 'relativeLift', 'pValue', 'df', 'se', 'absoluteSe'] as const) {
      expectClose(r[key], e[key], key === 'absoluteDiff' || key === 'relativeLift' ? 1e-9 : 1e-8);
    }
    bounds(e.relativeCi).forEach((x, i) => expectClose(r.relativeCi[i]!, x, 1e-8));
    bounds(e.absoluteCi).forEach((x, i) => expectClose(r.absoluteCi[i]!, x, 1e-8));
    expect(r.significant).toBe(e.pValue < (c.opts.alpha ?? 0.05));
  });

  it('uses p(1 − p) for proportions: the absolute test then matches scipy ttest_ind_from_stats', () => {
    const e = COMPARE.binomial!.expected;
    const r = compareArms({ units: 10000, conversions: 1000 }, { units: 10000, conversions: 1080 }, { metricType: 'binomial' }) as ArmComparison;
    // 2·P(T_df ≥ |Δ/SE_abs|) with our t distribution = scipy's Welch p-value on the same moments.
    expectClose(2 * (1 - studentTCdf(Math.abs(r.absoluteDiff / r.absoluteSe), r.df)), e.scipyWelchAbsoluteP, 1e-8);
  });

  const binomial = { metricType: 'binomial' } as const;
  const edgeCases: [string, BinomialArm, BinomialArm, NotEnoughData['reason']][] = [
    ['an empty arm', { units: 0, conversions: 0 }, { units: 100, conversions: 10 }, 'empty_arm'],
    ['a single unit', { units: 1, conversions: 1 }, { units: 100, conversions: 10 }, 'empty_arm'],
    ['zero conversions in control', { units: 1000, conversions: 0 }, { units: 1000, conversions: 5 }, 'zero_control_mean'],
    ['zero conversions anywhere', { units: 1000, conversions: 0 }, { units: 1000, conversions: 0 }, 'zero_control_mean'],
    ['all conversions in both arms', { units: 300, conversions: 300 }, { units: 200, conversions: 200 }, 'zero_variance'],
    ['zero conversions in treatment (delta-method variance 0)', { units: 1000, conversions: 20 }, { units: 1000, conversions: 0 }, 'zero_variance'],
  ];
  it.each(edgeCases)('%s → not enough data, never NaN', (_label, a, b, reason) => {
    for (const result of [compareArms(a, b, binomial), sequentialCi(a, b, binomial)]) {
      expect(result).toMatchObject({ status: 'not_enough_data', reason });
      expect(JSON.stringify(result)).not.toContain('NaN');
    }
  });

  it('zero variance in both continuous arms → not enough data', () => {
    const constant = { units: 50, sum: 150, sumSquares: 450 };
    expect(compareArms(constant, constant, { metricType: 'continuous' })).toMatchObject({ reason: 'zero_variance' });
  });

  it('rejects malformed input', () => {
    expect(() => compareArms({ units: 10, conversions: 11 }, { units: 10, conversions: 1 }, binomial)).toThrow(RangeError);
    expect(() => compareArms({ units: -1, conversions: 0 }, { units: 10, conversions: 1 }, binomial)).toThrow(RangeError);
    expect(() => compareArms({ units: 10, sum: 1, sumSquares: 1 }, { units: 10, sum: 1, sumSquares: 1 }, binomial)).toThrow(RangeError);
    expect(() => compareArms({ units: 10, conversions: 1 }, { units: 10, conversions: 1 }, { ...binomial, alpha: 0 })).toThrow(RangeError);
  });
});

describe('sequentialCi (asymptotic confidence sequences, Waudby-Smith et al. 2023)', () => {
  it.each(SEQ_MULTIPLIERS)('two-sided multiplier at N = %s (N* = 5000) matches ANCHORS-ML §B.3', (n, m) =>
    expectClose(sequentialMultiplier(n, 0.05, 5000, 2), m, 1e-12),
  );
  it("equals Eppo's formula (ρ_Eppo = 1/ρ²_GB): GrowthBook with N* = 10,000 gives Eppo's N_tune = 10,000 numbers", () => {
    for (const [t, m] of EPPO_MULTIPLIERS) expectClose(sequentialMultiplier(t, 0.05, 10000, 2), m, 1e-12);
  });
  it.each(SEQ_ONE_SIDED_MULTIPLIERS)('one-sided multiplier at N = %s', (n, m) => expectClose(sequentialMultiplier(n, 0.05, 5000, 1), m, 1e-12));

  it.each(Object.entries(SEQUENTIAL))('%s', (_name, c) => {
    const result = sequentialCi(arm(c.kind, c.a), arm(c.kind, c.b), { ...options(c), nStar: c.opts.nstar });
    expect(result.status).toBe('ok');
    const r = result as SequentialResult;
    const e = c.expected;
    expectClose(r.relativeLift, e.relativeLift, 1e-9);
    expectClose(r.se, e.se, 1e-9);
    expectClose(r.multiplier, e.multiplier, 1e-10);
    expectClose(r.pValue, e.pValue, 1e-7);
    expect(r.n).toBe(e.n);
    bounds(e.relativeCi).forEach((x, i) => expectClose(r.relativeCi[i]!, x, 1e-8));
    expect(r.nStar).toBe(c.opts.nstar ?? 5000);
  });

  it('is always wider than the fixed-horizon interval', () => {
    const a = { units: 20000, conversions: 2000 };
    const b = { units: 20000, conversions: 2250 };
    const fixed = compareArms(a, b, { metricType: 'binomial' }) as ArmComparison;
    const seq = sequentialCi(a, b, { metricType: 'binomial' }) as SequentialResult;
    expect(seq.relativeCi[0]).toBeLessThan(fixed.relativeCi[0]);
    expect(seq.relativeCi[1]).toBeGreaterThan(fixed.relativeCi[1]);
    expect(seq.pValue).toBeGreaterThan(fixed.pValue);
  });
});

describe('srmCheck (scipy.stats.chisquare)', () => {
  it.each(SRM)('%j against %j', (units, allocation, statistic, pValue) => {
    const result = srmCheck(units, allocation);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expectClose(result.statistic, statistic, 1e-12);
    expectClose(result.pValue, pValue, 1e-9);
    expect(result.df).toBe(units.length - 1);
    expect(result.flagged).toBe(pValue < 0.001);
  });
  it('no units yet → not enough data; malformed → RangeError', () => {
    expect(srmCheck([0, 0], [1, 1])).toMatchObject({ status: 'not_enough_data' });
    expect(() => srmCheck([10], [1])).toThrow(RangeError);
    expect(() => srmCheck([10, 10], [1, 0])).toThrow(RangeError);
    expect(() => srmCheck([10, 10], [1, 1, 1])).toThrow(RangeError);
  });
});
