import { test as setup } from '@playwright/test';
import { startLab, setScenario } from '../../lab/index.ts';

// Brings the local mail lab up once for all lab tests (idempotent: a running healthy lab is reused).
setup('start the mail lab', async () => {
  setup.setTimeout(15 * 60_000); // a fresh machine installs the Debian packages first
  await startLab({ log: (l) => console.log(`[lab] ${l}`) });
  await setScenario('healthy');
});
