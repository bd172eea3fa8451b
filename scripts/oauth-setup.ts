/**
 * npm run oauth:setup -- --seed <id> [--env-file .env]
 *
 * Gets the OAuth2 refresh token of one seed once (device-code flow, RFC 8628) and writes it into
 * the env file under the variable the seed names in imap.oauth2.refreshTokenEnv. The token is
 * never printed. The seed's clientIdEnv (and clientSecretEnv, if any) must be set first.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, loadEnvFile } from '../src/config/load.ts';
import { OAUTH_PROVIDERS, isOAuthProviderId } from '../src/auth/endpoints.ts';
import { startDeviceFlow, pollDeviceFlow } from '../src/auth/device-flow.ts';
import { redact } from '../src/shared/redact.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** Sets NAME=value in an env file, replacing an existing line (pure on the text). */
export function setEnvLine(text: string, name: string, value: string): string {
  const line = `${name}=${value}`;
  const re = new RegExp(`^${name}=.*$`, 'm');
  if (re.test(text)) return text.replace(re, line);
  return `${text}${text.endsWith('\n') || !text ? '' : '\n'}${line}\n`;
}

async function main(): Promise<number> {
  const envFile = path.resolve(arg('env-file') ?? process.env.MAILCANARY_ENV_FILE ?? '.env');
  if (process.env.MAILCANARY_ENV_FILE === undefined) process.env.MAILCANARY_ENV_FILE = envFile;
  loadEnvFile();
  const config = await loadConfig();
  const oauthSeeds = config.seeds.filter((s) => s.imap.auth === 'oauth2');
  const id = arg('seed') ?? (oauthSeeds.length === 1 ? oauthSeeds[0].id : undefined);
  const seed = oauthSeeds.find((s) => s.id === id);
  if (!seed?.imap.oauth2) {
    console.error(
      `name an OAuth2 seed with --seed <id>; OAuth2 seeds in ${path.relative(process.cwd(), config.seedsFile)}: ${oauthSeeds.map((s) => s.id).join(', ') || 'none (add imap: { oauth2: {...} } to a seed first, see docs/providers/outlook.md)'}`,
    );
    return 2;
  }
  const o = seed.imap.oauth2;
  const clientId = process.env[o.clientIdEnv];
  if (!clientId) {
    console.error(`${o.clientIdEnv} is not set in ${envFile}: register an app first (docs/providers/${seed.provider}.md) and put its client id there`);
    return 2;
  }
  const endpoints = isOAuthProviderId(o.provider) ? OAUTH_PROVIDERS[o.provider] : undefined;
  const deviceUrl = arg('device-url') ?? (endpoints && 'deviceAuthorizationUrl' in endpoints ? endpoints.deviceAuthorizationUrl : undefined);
  if (!deviceUrl) {
    console.error(
      `${endpoints?.name ?? 'this provider'} does not offer the device-code flow for mail scopes: follow the manual steps in docs/providers/${seed.provider}.md`,
    );
    return 2;
  }
  const clientSecret = o.clientSecretEnv ? process.env[o.clientSecretEnv] : undefined;
  const scope = o.scope ?? endpoints?.scope ?? '';
  const start = await startDeviceFlow({ deviceUrl, clientId, clientSecret, scope });
  console.log(
    `\nSign in as ${seed.address} (the seed account, not your own):\n  1. open ${start.verificationUri}\n  2. enter the code ${start.userCode}\n  3. approve mail access for the app\nWaiting (the code is valid for ${Math.round((start.expiresAt - Date.now()) / 60000)} min)…`,
  );
  const { refreshToken } = await pollDeviceFlow({ tokenUrl: o.tokenUrl, clientId, clientSecret, start });
  const before = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  writeFileSync(envFile, setEnvLine(before, o.refreshTokenEnv, refreshToken), { mode: 0o600 });
  console.log(`\nDone: ${o.refreshTokenEnv} written to ${envFile} (the token is not shown). Keep that file private.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`oauth:setup failed: ${redact(err.message)}`);
      process.exit(1);
    },
  );
}
