/**
 * Parser throughput: Authentication-Results headers/s (target 100,000 on one core), Received
 * lines/s, and whole buildEvidence per message. Prints a table, writes bench/results/parsers.json.
 *   node bench/parsers.bench.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { buildEvidence, parseAuthResults, parseReceived } from '../src/evidence/index.ts';

const AR = [
  'mx.google.com;\r\n       dkim=pass header.i=@canary.example header.s=mc2026 header.b=AbCd1234;\r\n       spf=pass (google.com: domain of bounce@canary.example designates 2001:db8:25::10 as permitted sender) smtp.mailfrom=bounce@canary.example;\r\n       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=canary.example',
  'spf=pass (sender IP is 192.0.2.25) smtp.mailfrom=canary.example; dkim=pass (signature was verified) header.d=canary.example;dmarc=pass action=none header.from=canary.example;compauth=pass reason=100',
  'mx.gmail.lab.test; spf=pass smtp.mailfrom=bounce+abc@canary.test smtp.helo=mail.canary.test; dkim=pass header.i=@canary.test header.s=mc2026 header.a=rsa-sha256 header.b=Xy/Z12ab; dmarc=pass (p=none arc=none) header.from=canary.test',
  'mx1.messagingengine.com;\n    dkim=pass (1024-bit rsa key sha256) header.d=a.example\n      header.i=@a.example header.b=d5rQb267 header.a=rsa-sha256\n      header.s=sel1;\n    dmarc=pass policy.published-domain-policy=quarantine\n      policy.applied-disposition=none header.from=a.example;\n    iprev=pass smtp.remote-ip=192.0.2.167 (a.example);\n    spf=pass smtp.mailfrom=b@a.example smtp.helo=h.a.example',
];
const RECEIVED = [
  'from mail.canary.example (mail.canary.example. [2001:db8:25::10])\r\n        by mx.google.com with ESMTPS id a1si123.2026.01.14.02.00.02\r\n        for <seed@gmail.com>\r\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\r\n        Wed, 14 Jan 2026 02:00:02 -0800 (PST)',
  'from mail.example.org (mail.example.org [IPv6:2001:db8::25]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519) (No client certificate requested) by mx.example.net (Postfix) with ESMTPS id 4Abc for <u@example.net>; Tue, 14 Jan 2026 10:00:01 +0100 (CET)',
  'from mail.canary.test (mail.canary.test [::1]) by mx.gmail.lab.test (mailcanary-lab) with ESMTP id 7F3A for <seed1@gmail.lab.test>; Wed, 14 Jan 2026 10:00:02 +0000',
];
const fixtures = ['lab-gmail.txt', 'gmail-layout.txt', 'outlook.txt'].map((f) =>
  readFileSync(new URL(`../test/fixtures/evidence/${f}`, import.meta.url), 'utf8'),
);

interface Row {
  name: string;
  ops: number;
  seconds: number;
  perSecond: number;
  usPerOp: number;
}

function run(name: string, inputs: readonly string[], f: (s: string) => unknown, minMs = 1500): Row {
  for (let i = 0; i < 2000; i++) f(inputs[i % inputs.length]); // warm-up
  let ops = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < 1000; i++) f(inputs[(ops + i) % inputs.length]);
    ops += 1000;
    t = performance.now();
  }
  const seconds = (t - t0) / 1000;
  return { name, ops, seconds: +seconds.toFixed(3), perSecond: Math.round(ops / seconds), usPerOp: +((seconds * 1e6) / ops).toFixed(2) };
}

const rows = [
  run('parseAuthResults (header/s)', AR, parseAuthResults),
  run('parseReceived (line/s)', RECEIVED, parseReceived),
  run('buildEvidence (message/s)', fixtures, (raw) =>
    buildEvidence({ rawHeaders: raw, authservIds: ['mx.gmail.lab.test', 'mx.google.com'], trust: { acceptMissingAuthservId: true } }),
  ),
];

console.log('| benchmark | ops | per second | µs/op |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.ops} | ${r.perSecond.toLocaleString('en')} | ${r.usPerOp} |`);
const target = 100_000;
const ar = rows[0].perSecond;
if (loadavg()[0] > cpus().length * 0.75)
  console.log(`(machine busy: load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; figures are pessimistic)`);
console.log(`\nAuthentication-Results target ${target.toLocaleString('en')}/s on one core: ${ar >= target ? 'met' : 'NOT met'} (${ar.toLocaleString('en')}/s)`);

mkdirSync(new URL('./results', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/parsers.json', import.meta.url),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      loadavg1: loadavg()[0],
      target: { authResultsPerSecond: target, met: ar >= target },
      rows,
    },
    null,
    2,
  ) + '\n',
);
