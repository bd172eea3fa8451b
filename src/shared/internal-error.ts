/**
 * An exception that escapes a check is a bug of mailcanary or a condition the check does not
 * handle, never a verdict on the user's setup and never silence from the network. It becomes a
 * result of status `error` carrying the message and where it was thrown, so the test fails
 * loudly instead of being skipped like an `unknown`.
 *
 * The stack is shortened to its first frames, with paths relative to the project: absolute paths
 * (home directories, user names) never reach a report, and known secrets are redacted from the
 * message like everywhere else.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact } from './redact.ts';

export interface InternalErrorInfo {
  /** id of the check that threw */
  check: string;
  /** the exception's class, e.g. `TypeError` */
  name: string;
  message: string;
  /** the first frame in the project's own code, e.g. `src/posture/checks/mx.ts:42:11` */
  where?: string;
  /** the first frames, `fn (src/…/file.ts:line:col)`; frames outside the project show only their file name */
  stack: string[];
}

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_FRAMES = 6;
const MAX_MESSAGE = 500;

/** Errors that only code raises about itself: a wrong type, a missing name, a value out of range. */
export function isProgrammingError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError || err instanceof SyntaxError || err instanceof EvalError;
}

interface Frame {
  fn?: string;
  /** project-relative path, `node:…`, or `…/file` for anything else */
  file: string;
  line: string;
  col: string;
  own: boolean;
}

// V8 frames: `at fn (location)`, `at location`, `at async fn (location)`; location is a path or file:// URL
const FRAME = /^\s*at (?:(.+?) \()?((?:file:\/\/)?[^()]+?):(\d+):(\d+)\)?\s*$/;

function parseFrame(line: string, root: string): Frame | undefined {
  const m = FRAME.exec(line);
  if (!m) return undefined;
  let file = m[2];
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (file.startsWith('node:')) return { fn: m[1], file, line: m[3], col: m[4], own: false };
  const rel = path.relative(root, file);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  const shown = inside ? rel.split(path.sep).join('/') : `…/${path.basename(file)}`;
  return { fn: m[1], file: shown, line: m[3], col: m[4], own: inside && !shown.startsWith('node_modules/') };
}

/** The first frames of `stack`, project-relative, and the first frame in the project's own code. */
export function shortStack(stack: string | undefined, root = PROJECT_ROOT): { where?: string; frames: string[] } {
  const frames = (stack ?? '')
    .split('\n')
    .map((l) => parseFrame(l, root))
    .filter((f): f is Frame => f !== undefined);
  const loc = (f: Frame) => `${f.file}:${f.line}:${f.col}`;
  const own = frames.find((f) => f.own);
  return {
    where: own ? loc(own) : frames[0] ? loc(frames[0]) : undefined,
    frames: frames.slice(0, MAX_FRAMES).map((f) => (f.fn ? `${f.fn} (${loc(f)})` : loc(f))),
  };
}

function cleanMessage(text: string, root: string): string {
  // an absolute path in the message would name the user's home directory
  const home = os.homedir();
  let relative = text.split(root + path.sep).join('');
  if (home.length > 1) relative = relative.split(home + path.sep).join(`~${path.sep}`);
  const flat = redact(relative)
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

export function internalErrorInfo(check: string, err: unknown, root = PROJECT_ROOT): InternalErrorInfo {
  const e = err instanceof Error ? err : undefined;
  const { where, frames } = shortStack(e?.stack, root);
  return {
    check,
    name: e?.name ?? typeof err,
    message: cleanMessage(e ? e.message : String(err), root),
    ...(where ? { where } : {}),
    stack: frames,
  };
}

export const INTERNAL_ERROR_FIX =
  'This is not a verdict on your setup: mailcanary hit a bug or a condition it does not handle. Please report it with this message and the stack in the result; the other checks are unaffected.';

/** The `error` result fields of a check that threw; the caller adds id, title and target. */
export function internalErrorOutcome(check: string, err: unknown): { status: 'error'; summary: string; fix: string; details: { error: InternalErrorInfo } } {
  const info = internalErrorInfo(check, err);
  return {
    status: 'error',
    summary: `mailcanary bug: the ${check} check threw ${info.name}: ${info.message}${info.where ? ` (at ${info.where})` : ''}`,
    fix: INTERNAL_ERROR_FIX,
    details: { error: info },
  };
}
