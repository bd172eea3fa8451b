import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The layer rule of eslint.config.js, run on code that is never written to disk: a stage that
 * reaches into another stage's internals fails, the same import through the stage's index.ts
 * passes, and the bottom layers (src/shared, src/knowledge, src/model.ts) import no stage.
 */
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

test.describe.configure({ timeout: 120_000 });

test('a stage importing another stage’s internal module fails the lint', async () => {
  const errors = await boundaryErrors(
    'src/watch/boundary-probe.ts',
    "import { parseReceived } from '../evidence/received.ts';\nexport const x = parseReceived;\n",
  );
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('src/watch may use src/evidence only through src/evidence/index.ts');
});

test('the same import through the stage’s index.ts passes', async () => {
  expect(
    await boundaryErrors('src/watch/boundary-probe.ts', "import { parseReceived } from '../evidence/index.ts';\nexport const x = parseReceived;\n"),
  ).toEqual([]);
});

test('shared infrastructure and the knowledge tables import no stage, not even through index.ts', async () => {
  const shared = await boundaryErrors(
    'src/shared/boundary-probe.ts',
    "import { parseReceived } from '../evidence/index.ts';\nexport const x = parseReceived;\n",
  );
  expect(shared[0]).toContain('bottom layer');
  const knowledge = await boundaryErrors('src/knowledge/boundary-probe.ts', "import type { Seed } from '../config/index.ts';\nexport type X = Seed;\n");
  expect(knowledge[0]).toContain('bottom layer');
});

test('product code never imports the lab, the tests or the user-facing folders', async () => {
  const errors = await boundaryErrors('src/send/boundary-probe.ts', "import { labTopology } from '../../lab/topology.ts';\nexport const x = labTopology;\n");
  expect(errors[0]).toContain('product code never imports lab/');
});

test('every stage may use src/shared and src/knowledge directly', async () => {
  expect(
    await boundaryErrors(
      'src/watch/boundary-probe.ts',
      "import { redact } from '../shared/redact.ts';\nimport { PRESETS } from '../knowledge/providers.ts';\nexport const x = [redact, PRESETS];\n",
    ),
  ).toEqual([]);
});
