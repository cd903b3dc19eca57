/**
 * Mints a development JWT (HS256) with the secret the service uses in development mode:
 *   npm run token -- --sub u1 --name "A. Huber" --land BY --roles proposer[,reviewer] [--ressort StMD] [--ttl 8h]
 */
import { parseArgs } from 'node:util';
import { mintDevelopmentToken } from '../api/auth.js';
import { LANDS, ROLES, type Land, type Role } from '../workflows/domain.js';
import { unknownRessort } from '../workflows/ressorts.js';
import { developmentSecret, loadConfig } from '../runtime/config.js';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    name: { type: 'string' },
    land: { type: 'string' },
    roles: { type: 'string' },
    ressort: { type: 'string' },
    ttl: { type: 'string', default: '8h' },
  },
});
const roles = (values.roles ?? '')
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const problems = [
  !values.sub && '--sub is required',
  !values.name && '--name is required',
  !(LANDS as readonly string[]).includes(values.land ?? '') && `--land must be one of ${LANDS.join(' ')}`,
  (roles.length === 0 || !roles.every((r) => (ROLES as readonly string[]).includes(r))) &&
    `--roles must be a comma-separated list of ${ROLES.join(', ')}`,
  values.ressort !== undefined &&
    (LANDS as readonly string[]).includes(values.land ?? '') &&
    unknownRessort(values.land as Land, values.ressort),
].filter(Boolean);
if (problems.length > 0) {
  console.error(
    `${problems.join('\n')}\nusage: npm run token -- --sub u1 --name "A. Huber" --land BY --roles proposer`,
  );
  process.exit(2);
}
const config = loadConfig();
if (config.authMode !== 'development') {
  console.error('Development tokens are refused when NODE_ENV=production or AUTH_MODE=oidc.');
  process.exit(2);
}
const token = await mintDevelopmentToken(
  developmentSecret(config),
  {
    sub: values.sub ?? '',
    name: values.name ?? '',
    land: values.land as Land,
    roles: roles as Role[],
    ...(values.ressort === undefined ? {} : { ressort: values.ressort }),
  },
  values.ttl,
);
console.log(token);
