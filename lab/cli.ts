/**
 * node lab/cli.ts start|stop|status|restart|scenario <name>|reports
 * `reports`: the gmail-like and outlook-like MXs mail their DMARC aggregate and TLS reports now.
 * Runs the local mail lab (loopback only). State dir: $MAILCANARY_LAB_DIR (default /tmp/mailcanary-lab).
 */
import { startLab, stopLab, labStatus, setScenario, restartLab, scenarioNames, SCENARIOS, labReports } from './index.ts';
import type { LabStatus } from './index.ts';

function printStatus(s: LabStatus): void {
  console.log(`lab ${s.healthy ? 'healthy' : s.running ? 'DEGRADED' : 'stopped'} — state dir ${s.stateDir}, scenario ${s.scenario ?? '-'}`);
  for (const svc of s.services) {
    console.log(`  ${svc.ready ? 'ok  ' : svc.pid ? 'DOWN' : 'off '} ${svc.name.padEnd(48)} pid ${svc.pid ?? '-'}  log ${svc.logFiles[0]}`);
  }
}

const USAGE = `usage: node lab/cli.ts start|stop|status|restart|scenario <name>|reports\nscenarios: ${scenarioNames().join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const [cmd, arg] = argv;
  const log = (l: string) => console.log(`  ${l}`);
  switch (cmd) {
    case 'start': {
      const t0 = Date.now();
      printStatus(await startLab({ log, scenario: arg }));
      console.log(`started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'restart':
      printStatus(await restartLab({ log, scenario: arg }));
      return 0;
    case 'stop':
      await stopLab();
      console.log('lab stopped');
      return 0;
    case 'status': {
      const s = await labStatus();
      printStatus(s);
      return s.healthy ? 0 : 1;
    }
    case 'scenario':
      if (!arg) {
        for (const s of Object.values(SCENARIOS)) console.log(`  ${s.name.padEnd(26)} ${s.description}`);
        return 0;
      }
      await setScenario(arg);
      console.log(`scenario ${arg} in effect`);
      return 0;
    case 'reports': {
      const sent = await labReports();
      const how = {
        tls: 'mailed',
        clear: 'mailed in clear (the TLS handshake failed)',
        queued: 'queued: the TLS handshake failed and the MTA-STS policy is enforced',
        'given-up': 'given up after five days in the queue',
      };
      for (const r of sent) console.log(`  ${r.provider}: ${r.kind} report ${r.file} (${r.messages} message(s)) ${how[r.delivery]}`);
      const mailed = sent.filter((r) => r.delivery === 'tls' || r.delivery === 'clear').length;
      console.log(
        sent.length
          ? `${mailed} of ${sent.length} report(s) mailed to the lab's rua= addresses`
          : 'no mail received since the previous reports: nothing to report',
      );
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`lab: ${err.message}`);
    process.exit(1);
  },
);
