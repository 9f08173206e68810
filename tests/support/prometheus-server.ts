import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * A real Prometheus (Debian's `prometheus` package; .ci/run installs it) scraping local targets
 * every second, with its data in a temporary folder. Null when the binary is missing, unless
 * FLIGHTDECK_REQUIRE_PROMETHEUS is set (CI), where a missing binary is an error, not a skip.
 */
export function prometheusBinary(): string | null {
  const binary = process.env.PROMETHEUS_BIN ?? 'prometheus';
  const found = spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.FLIGHTDECK_REQUIRE_PROMETHEUS) throw new Error(`FLIGHTDECK_REQUIRE_PROMETHEUS is set but "${binary}" does not run: apt-get install -y prometheus`);
  return found ? binary : null;
}

export async function startPrometheus(binary: string, targets: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prometheus-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: model-servers', '    static_configs:', `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`, ''].join('\n'),
  );
  const child = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Prometheus did not become ready:\n${log}`);
}
