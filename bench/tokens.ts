/** Development tokens (HS256), as test/helpers/harness.ts signs them, with the bench run's secret. */
import { SignJWT } from 'jose';
import type { Land, Role } from '../workflows/domain.js';

export async function token(
  secret: string,
  claims: { sub: string; name: string; land: Land; roles: Role[] },
): Promise<string> {
  return new SignJWT({ name: claims.name, land: claims.land, roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(secret));
}

/** The principals the cases act as. */
export async function principals(secret: string) {
  return {
    viewer: await token(secret, { sub: 'v-1', name: 'Dashboard', land: 'BE', roles: ['viewer'] }),
    proposerBY: await token(secret, { sub: 'bench-p-by', name: 'A. Huber', land: 'BY', roles: ['proposer'] }),
    reviewerBY: await token(secret, { sub: 'bench-r-by', name: 'C. Maier', land: 'BY', roles: ['reviewer'] }),
    reviewerNW: await token(secret, {
      sub: 'bench-r-nw',
      name: 'B. Schmidt',
      land: 'NW',
      roles: ['reviewer'],
    }),
    reviewerHE: await token(secret, { sub: 'bench-r-he', name: 'H. Hesse', land: 'HE', roles: ['reviewer'] }),
  };
}
export type Principals = Awaited<ReturnType<typeof principals>>;
