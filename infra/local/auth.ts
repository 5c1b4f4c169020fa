/**
 * Local sign-in: demo users of every role and development tokens signed with a local key kept
 * in the data folder. The gateway verifies them as API Gateway's JWT authorizer verifies
 * Cognito's (signature, issuer, audience, expiry) and hands the handlers the same claims.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Role } from '../../functions/shared/roles.js';

export const LOCAL_ISSUER = 'urn:order-to-cash:local-identity';
export const LOCAL_AUDIENCE = 'order-to-cash-local-console';
const TOKEN_LIFETIME = '7d';

export interface DemoUser {
  userId: string;
  name: string;
  roles: Role[];
}

/** One demo user per role, plus a second sales rep to show that reps see own customers only. */
export const DEMO_USERS: DemoUser[] = [
  { userId: 'wang.qiang', name: '王强 Wang Qiang', roles: ['sales_rep'] },
  { userId: 'li.na', name: '李娜 Li Na', roles: ['sales_rep'] },
  { userId: 'zhao.min', name: '赵敏 Zhao Min', roles: ['sales_clerk'] },
  { userId: 'chen.jie', name: '陈杰 Chen Jie', roles: ['order_desk'] },
  { userId: 'liu.yang', name: '刘洋 Liu Yang', roles: ['sales_manager'] },
  { userId: 'sun.li', name: '孙丽 Sun Li', roles: ['sales_vp'] },
  { userId: 'zhou.wei', name: '周伟 Zhou Wei', roles: ['general_manager'] },
  { userId: 'wu.fang', name: '吴芳 Wu Fang', roles: ['finance'] },
  { userId: 'zheng.hao', name: '郑浩 Zheng Hao', roles: ['finance_manager'] },
  { userId: 'feng.lei', name: '冯磊 Feng Lei', roles: ['warehouse'] },
  { userId: 'he.jun', name: '何军 He Jun', roles: ['logistics'] },
  { userId: 'xu.gang', name: '徐刚 Xu Gang', roles: ['production'] },
  { userId: 'ma.lin', name: '马琳 Ma Lin', roles: ['customer_service'] },
  { userId: 'gao.shan', name: '高山 Gao Shan', roles: ['auditor'] },
  { userId: 'admin', name: 'Administrator', roles: ['admin'] },
];

export class LocalIdentity {
  private constructor(private readonly key: Uint8Array) {}

  /** The signing key persists in the data folder, so printed tokens survive a restart. */
  static open(dataDir: string | undefined): LocalIdentity {
    if (!dataDir) return new LocalIdentity(randomBytes(32));
    const file = path.join(dataDir, 'dev-signing-key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    return new LocalIdentity(Buffer.from(readFileSync(file, 'utf8'), 'base64'));
  }

  /** A token shaped like a Cognito ID token: sub, name, cognito:groups. */
  sign(user: DemoUser, lifetime: string = TOKEN_LIFETIME): Promise<string> {
    return new SignJWT({ name: user.name, 'cognito:username': user.userId, 'cognito:groups': user.roles, token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(lifetime)
      .sign(this.key);
  }

  /**
   * Verifies like the JWT authorizer; undefined for anything it would refuse. Cognito's tokens
   * always carry an expiry, so a token without `exp` (one that would never expire) is refused too.
   */
  async verify(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp'] });
      return payload;
    } catch {
      return undefined;
    }
  }
}

/** HTTP APIs pass claims as strings; arrays become "[a b]" exactly as the JWT authorizer flattens them. */
export function claimsAsApiGatewayPassesThem(payload: JWTPayload): Record<string, string | number | boolean> {
  const claims: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (Array.isArray(v)) claims[k] = `[${v.join(' ')}]`;
    else if (v !== null && typeof v === 'object') claims[k] = JSON.stringify(v);
    else if (v !== undefined) claims[k] = v as string | number | boolean;
  }
  return claims;
}
