/**
 * The decision procedure's own inputs: the SMTP stage (RFC 5321 §3.3, §4.1), the status code's
 * place in the IANA registry (RFC 3463 §2) and reply codes whose RFC fixes a meaning. Every text
 * here is written for the test; the neutral wording ("please come back") names no cause, so what
 * decides is the procedure, not a phrase.
 */
import { test, expect } from '@playwright/test';
import { classify, classifyReason, parseBounce } from '../../src/classify/index.ts';
import { findCommand, replyReason, transcriptStage } from '../../src/classify/stage.ts';
import { ldaReason } from '../../src/classify/lda.ts';
import { findReplyCode, isRegistered, preferCode, preferStatus, statusReason, textStatus } from '../../src/classify/status.ts';

const SESSION = `... while talking to mx.example.net.:
>>> MAIL From:<sender@example.org> SIZE=1200
<<< 250 2.1.0 <sender@example.org>... Sender ok
>>> RCPT To:<gone@example.net>
<<< 550 5.1.1 <gone@example.net>... User unknown`;

test('a transcript names the command before the first failing reply, not the first command it shows', () => {
  expect(transcriptStage(SESSION.toLowerCase())).toBe('RCPT');
  // squashed onto one line, as diagnostics are
  expect(transcriptStage(SESSION.toLowerCase().replace(/\s+/g, ' '))).toBe('RCPT');
  expect(transcriptStage('>>> data <<< 354 go ahead >>> . <<< 554 5.7.1 refused')).toBe('DATA');
  // the failing reply listed again above the transcript belongs to the command in it
  expect(transcriptStage(`<<< 550 5.1.1 user unknown ${SESSION}`.toLowerCase())).toBe('RCPT');
  // one report, two sessions: a refused greeting at the first host says nothing about the second
  const twoHosts = '... while talking to a.example.net.: <<< 450 busy ... while talking to b.example.net.: >>> DATA <<< 551 not our user';
  expect(transcriptStage(twoHosts.toLowerCase())).toBe('DATA');
  expect(transcriptStage('... while talking to a.example.net.: <<< 554 go away >>> quit <<< 221 bye')).toBe('CONN');
  expect(transcriptStage('550 5.1.1 user unknown')).toBeUndefined();
});

test('"user unknown" refused at MAIL in a transcript is the sender, at RCPT the recipient', () => {
  const d = '550 5.1.1 <gone@example.net>... User unknown';
  expect(classify({ diagnostic: d, context: SESSION }).reason).toBe('userunknown');
  const atMail = SESSION.replace('<<< 250 2.1.0 <sender@example.org>... Sender ok', '<<< 550 5.1.1 <sender@example.org>... User unknown');
  expect(classify({ diagnostic: '550 5.1.1 <sender@example.org>... User unknown', context: atMail }).reason).toBe('rejected');
});

test("qmail-remote's wording gives the stage: greeting, sender, recipient", () => {
  expect(findCommand('connected to 192.0.2.1 but greeting failed.')).toBe('CONN');
  expect(findCommand('connected to 192.0.2.1 but sender was rejected.')).toBe('MAIL');
  expect(classifyReason('Connected to 192.0.2.1 but greeting failed. Remote host said: 554 5.7.1 please come back').reason).toBe('blocked');
});

test('a reply that echoes an address is not by itself a stage: the registered code decides', () => {
  // 5.2.1 "mailbox disabled" (RFC 3463 §3.3) with words of an unknown user and no stage stated
  expect(classifyReason('550 5.2.1 <a@example.net>... User unknown').reason).toBe('filtered');
  expect(classifyReason('550 5.2.1 <a@example.net>... User unknown (in reply to RCPT TO command)').reason).toBe('userunknown');
});

test('at the greeting only client-host reasons are possible; no cause named is blocked', () => {
  const conn = 'SMTP error from remote mail server after initial connection: ';
  expect(classifyReason(`${conn}554 5.7.1 please come back`).reason).toBe('blocked');
  // a recipient cannot be unknown before any RCPT (RFC 5321 §3.1)
  expect(classifyReason(`${conn}550 5.1.1 please come back`).reason).toBe('blocked');
  // a named cause that the greeting allows still wins
  expect(classifyReason(`${conn}421 4.7.0 too many connections from your host`).reason).toBe('toomanyconn');
  expect(classifyReason(`${conn}554 5.7.25 please come back`).reason).toBe('requireptr');
});

test('reply codes with an RFC-fixed meaning decide only when text and status code do not', () => {
  expect(classifyReason('451 please come back').reason).toBe('systemerror');
  expect(classifyReason('452 please come back').reason).toBe('systemfull');
  expect(classifyReason('552 please come back').reason).toBe('mailboxfull');
  expect(classifyReason('521 please come back').reason).toBe('notaccept');
  expect(classifyReason('535 please come back').reason).toBe('securityerror');
  // RFC 1870 §6.1: 552 to MAIL with SIZE is the message size
  expect(classifyReason('SMTP error from remote mail server after MAIL FROM:<a@example.org> SIZE=99999999: 552 please come back').reason).toBe('mesgtoobig');
  // 452 to RCPT may be "too many recipients" (RFC 5321 §4.5.3.1.10): it says nothing there
  expect(replyReason(452, 'RCPT')).toBeUndefined();
  // a status code that names the cause outranks the reply code
  expect(classifyReason('552 5.3.4 please come back').reason).toBe('mesgtoobig');
  // with no code at all the reason stays open
  expect(classifyReason('please come back').reason).toBe('onhold');
  // a delayed DSN is still expired first
  expect(classify({ diagnostic: '451 please come back', action: 'delayed' }).reason).toBe('expired');
});

test('registered codes have their own meaning; vendor details read as their subject, weakly', () => {
  expect(isRegistered('5.7.30')).toBe(true);
  expect(isRegistered('5.1.10')).toBe(true);
  expect(isRegistered('5.7.509')).toBe(false);
  expect(isRegistered('5.1.351')).toBe(false);
  expect(statusReason('5.1.351')).toBe('userunknown');
  expect(statusReason('5.2.121')).toBe('filtered');
  expect(statusReason('5.5.999')).toBeUndefined();
  // RFC 7372 codes exist in both classes
  expect(statusReason('4.7.23')).toBe('authfailure');
  expect(statusReason('5.4.7')).toBe('expired');
  expect(classifyReason('550 5.1.351 please come back').reason).toBe('userunknown');
  // the weak reading (x.7.0 securityerror) yields to the text
  expect(classifyReason('550 5.7.509 Access denied, sending domain example.org does not pass DMARC verification').reason).toBe('authfailure');
});

test("Exim's reply after the command's arguments is the reply code", () => {
  expect(findReplyCode('SMTP error from remote mail server after MAIL FROM:<a@example.org> SIZE=1543: 552 please come back')).toBe(552);
  expect(findReplyCode("Unknown address error 550-'5.7.1 <a@example.org>... Access denied'", '5.7.1')).toBe(550);
});

test('a Sendmail bounce with a transcript: the failing command decides, through the parser', () => {
  const eml = [
    'Return-Path: <>',
    'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>',
    'To: <sender@example.org>',
    'Subject: Returned mail: see transcript for details',
    'Date: Tue, 1 Dec 2026 10:00:00 +0000',
    'Message-Id: <r1@mx.example.org>',
    '',
    '   ----- The following addresses had permanent fatal errors -----',
    '<gone@example.net>',
    '    (reason: 550 5.1.1 <gone@example.net>... please come back)',
    '',
    '   ----- Transcript of session follows -----',
    SESSION.replace('User unknown', 'please come back'),
    '',
  ].join('\n');
  const r = parseBounce(Buffer.from(eml)).recipients[0];
  expect(r.finalRecipient).toBe('gone@example.net');
  expect(r.status).toBe('5.1.1');
  expect(r.reason).toBe('userunknown');
});

test('an X-UNIX diagnostic is a local program failing: mailererror unless the text names a cause', () => {
  // sysexits.h EX_NOUSER, translated by the MTA to 5.1.1: the program failed, not a remote lookup
  expect(classify({ diagnostic: 'procmail: please come back', status: '5.1.1', diagnosticType: 'X-UNIX' }).reason).toBe('mailererror');
  // the reporting MTA's own "554 5.3.0" summary beside the exit status is not a remote SMTP reply
  expect(classify({ diagnostic: '255 554 5.3.0 please come back', status: '5.3.0', diagnosticType: 'X-UNIX' }).reason).toBe('mailererror');
  expect(classify({ diagnostic: '/home/a/Maildir/tmp/1.eml: Disk quota exceeded', status: '4.3.0', diagnosticType: 'X-UNIX' }).reason).toBe('mailboxfull');
  // X-Postfix quoting the remote server's reply is read as SMTP
  expect(classify({ diagnostic: 'host mx.example.net[192.0.2.1] said: 552 5.2.2 please come back', status: '5.2.2', diagnosticType: 'X-Postfix' }).reason).toBe(
    'mailboxfull',
  );
});

test("a recipient's status: the Status field weighed against its diagnostic's own code", () => {
  // the field only says the class, or "other" within a subject: the remote's code is specific
  expect(preferCode('5.0.0', '5.1.1')).toBe('5.1.1');
  expect(preferCode('5.2.0', '5.2.2')).toBe('5.2.2');
  expect(preferCode('5.1.1', '5.0.0')).toBe('5.1.1');
  // summaries of a failed exchange give way; a registered specific field keeps its place
  expect(preferCode('4.4.7', '4.4.2')).toBe('4.4.2');
  expect(preferCode('5.3.0', '5.7.1')).toBe('5.7.1');
  expect(preferCode('5.2.2', '5.7.1')).toBe('5.2.2');
  expect(preferCode('5.1.1', '5.5.0')).toBe('5.1.1');
  expect(preferCode('5.1.3', '5.7.1')).toBe('5.7.1');
  // classes disagree: the reply code carrying the text's code says which is meant
  expect(preferCode('5.0.0', '4.7.1', 451)).toBe('4.7.1');
  expect(preferCode('4.0.0', '5.1.1')).toBe('4.0.0');
  // in a text: 4.4.7 and x.0.0 only when nothing else, success codes of a transcript skipped
  expect(textStatus('554 4.4.7 Message expired <421 4.4.2 Connection timed out>')).toBe('4.4.2');
  expect(textStatus('<<< 250 2.1.5 ok <<< 550 5.0.0 please come back')).toBe('5.0.0');
  expect(textStatus('250 2.1.5 ok')).toBe('2.1.5');
  expect(preferStatus('5.0.0', "550-'5.7.1 <a@example.org>... please come back'")).toBe('5.7.1');
  expect(preferStatus('4.0.0', undefined, 'Status: 5.0.0 550 please come back')).toBe('4.0.0');
});

test("a local delivery agent's own report decides; an agent failing in other words is a mailer error", () => {
  expect(classifyReason('mail.local: unknown user: alice').reason).toBe('userunknown');
  expect(classifyReason('maildrop: maildir over quota.').reason).toBe('mailboxfull');
  expect(classifyReason('554 "|/usr/bin/procmail -f-"... Service unavailable').reason).toBe('systemerror');
  expect(classifyReason('procmail: please come back').reason).toBe('mailererror');
  // with one recipient the agent's words may stand in the report, not in the Diagnostic-Code
  expect(classify({ diagnostic: '554 <alice@example.net>... please come back', context: 'mail.local: unknown user: alice' }).reason).toBe('userunknown');
  // an agent runs only after DATA: a refusal at RCPT is the SMTP server's, whatever it mentions
  expect(classifyReason('550 5.1.1 procmail: unknown user (in reply to RCPT TO command)').reason).toBe('userunknown');
  expect(ldaReason('procmail: please come back', 'RCPT')).toBeUndefined();
});
