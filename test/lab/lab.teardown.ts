import { test as teardown } from '@playwright/test';
import { stopLab } from '../../lab/index.ts';

// MAILCANARY_LAB_KEEP=1 keeps the lab running between runs while iterating.
teardown('stop the mail lab', async () => {
  if (process.env.MAILCANARY_LAB_KEEP) return;
  await stopLab();
});
