import { expect, test } from '@playwright/test';
import { placementOf, planFolders } from '../../src/watch/folders.ts';

const f = (path: string, specialUse?: string, flags: string[] = [], specialUseSource: 'extension' | 'name' = 'extension') => ({
  path,
  specialUse,
  flags,
  specialUseSource,
});

test('spam found by the \\Junk special-use flag (RFC 6154)', () => {
  const plan = planFolders(
    [f('INBOX', '\\Inbox'), f('[Gmail]/Spam', '\\Junk'), f('[Gmail]/All Mail', '\\All'), f('[Gmail]/Sent Mail', '\\Sent'), f('Receipts')],
    ['Spam'],
  );
  expect(plan).toEqual({ inbox: 'INBOX', spam: ['[Gmail]/Spam'], spamFoundBy: 'special-use', others: ['Receipts'] });
});

test('spam found by name when the server has no special-use (GMX, Outlook)', () => {
  const plan = planFolders([f('INBOX'), f('Spamverdacht'), f('Archive'), f('Gesendet', '\\Sent', [], 'name')], ['Spamverdacht', 'Spam']);
  expect(plan.spam).toEqual(['Spamverdacht']);
  expect(plan.spamFoundBy).toBe('name');
  expect(plan.others).toEqual(['Archive', 'Gesendet']);
  expect(placementOf(plan, 'Archive')).toBe('other-folder:Archive');
  expect(placementOf(plan, 'Spamverdacht')).toBe('spam');
  expect(placementOf(plan, 'INBOX')).toBe('inbox');
});

test('names compare case-insensitively on the last path segment and skip \\Noselect', () => {
  const plan = planFolders([f('INBOX'), f('INBOX/Junk Email'), f('Parent', undefined, ['\\Noselect'])], ['junk email']);
  expect(plan.spam).toEqual(['INBOX/Junk Email']);
  expect(plan.others).toEqual([]);
});

test('no spam folder at all is said, not guessed', () => {
  const plan = planFolders([f('INBOX'), f('Work')], ['Spam']);
  expect(plan.spamFoundBy).toBe('none');
  expect(plan.spam).toEqual([]);
});
