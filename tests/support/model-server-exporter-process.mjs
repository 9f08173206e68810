// The exporter behind tests/support/model-server-exporter.ts, in a process of its own: argv[2] is
// JSON { models, versions }; prints its host:port on stdout once listening. Metric and label names
// are those of Triton, TorchServe, BentoML and KServe's queue-proxy (lib/domain/metrics-presets.ts);
// counters grow at a fixed rate per version from the start.
import { createServer } from 'node:http';

const { models, versions } = JSON.parse(process.argv[2]);
const started = Date.now();

function exposition(elapsed) {
  const lines = [];
  const type = (name, kind) => lines.push(`# TYPE ${name} ${kind}`);
  const line = (name, labels, value) => lines.push(`${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} ${value}`);
  const counts = (v) => {
    const total = v.requestsPerSecond * elapsed;
    return { total, errors: total * v.errorRatio, ok: total * (1 - v.errorRatio) };
  };
  const histogram = (name, labels, v, scale) => {
    const { total } = counts(v);
    for (const [bound, share] of v.latency) line(`${name}_bucket`, { ...labels, le: String(bound * scale) }, total * share);
    line(`${name}_bucket`, { ...labels, le: '+Inf' }, total);
    line(`${name}_count`, labels, total);
    line(`${name}_sum`, labels, total * v.latency[0][0] * scale);
  };

  // Triton: its own `version` label is the repository directory ("1", "2"); the semantic version
  // comes from the pod label app.kubernetes.io/version.
  type('nv_inference_request_success', 'counter');
  type('nv_inference_request_failure', 'counter');
  versions.forEach((v, i) => {
    const labels = { model: models.triton, version: String(i + 1), app_kubernetes_io_version: v.version };
    line('nv_inference_request_success', labels, counts(v).ok);
    line('nv_inference_request_failure', { ...labels, reason: 'BACKEND' }, counts(v).errors);
  });

  // TorchServe: per-model request counter; 5xx per host only (one host per version here).
  type('ts_inference_requests_total', 'counter');
  type('Requests5XX', 'counter');
  type('Requests2XX', 'counter');
  versions.forEach((v) => {
    const hostname = `torchserve-${v.version.replace(/\./g, '-')}`;
    line('ts_inference_requests_total', { model_name: models.torchserve, model_version: v.version, hostname }, counts(v).total);
    line('Requests5XX', { Level: 'Host', Hostname: hostname }, counts(v).errors);
    line('Requests2XX', { Level: 'Host', Hostname: hostname }, counts(v).ok);
  });
  // Another TorchServe host with errors of a model that is not ours: must not count.
  line('Requests5XX', { Level: 'Host', Hostname: 'torchserve-other' }, 1000 * elapsed);

  // BentoML: request counter and duration histogram by service_version and response code.
  type('bentoml_service_request_total', 'counter');
  type('bentoml_service_request_duration_seconds', 'histogram');
  versions.forEach((v) => {
    const base = { endpoint: '/predict', runner_name: '', service_name: models.bentoml, service_version: v.version };
    line('bentoml_service_request_total', { ...base, http_response_code: '200' }, counts(v).ok);
    line('bentoml_service_request_total', { ...base, http_response_code: '500' }, counts(v).errors);
    histogram('bentoml_service_request_duration_seconds', { ...base, http_response_code: '200' }, v, 1);
  });

  // KServe (Knative queue-proxy): revision counters by response code class; latencies in ms.
  type('revision_app_request_count', 'counter');
  type('revision_app_request_latencies', 'histogram');
  versions.forEach((v, i) => {
    const base = { configuration_name: `${models.kserve}-predictor`, revision_name: `${models.kserve}-predictor-0000${i + 1}`, version: v.version };
    line('revision_app_request_count', { ...base, response_code: '200', response_code_class: '2xx' }, counts(v).ok);
    line('revision_app_request_count', { ...base, response_code: '500', response_code_class: '5xx' }, counts(v).errors);
    histogram('revision_app_request_latencies', base, v, 1000);
  });
  return lines.join('\n') + '\n';
}

const server = createServer((req, res) => {
  if (req.url !== '/metrics') return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition((Date.now() - started) / 1000));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
