/**
 * Sign-in: a Cognito user pool with one group per role of RULES.md and an app client
 * (no secret) for the web console's hosted login. Users are created by an administrator;
 * nobody signs themselves up to an order-to-cash system.
 */
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_DESCRIPTIONS, type Role } from '../../functions/shared/roles.js';

export interface IdentityProps {
  readonly roles: readonly Role[];
  /** OAuth callback URLs of the web console (hosted login redirects here). */
  readonly callbackUrls: string[];
  readonly logoutUrls: string[];
  /** Hosted login domain prefix; defaults to `o2c-<account id>` (unique per account and region). */
  readonly domainPrefix?: string;
}

export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly groups: Record<string, cognito.CfnUserPoolGroup> = {};

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: false },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Finance data and credit decisions: every user has a second factor (authenticator app; no SMS role needed).
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of props.roles) {
      this.groups[role] = new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: ROLE_DESCRIPTIONS[role],
      });
    }

    this.domain = this.userPool.addDomain('HostedLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Fn.join('-', ['o2c', Aws.ACCOUNT_ID]) },
    });

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
    });
  }

  /** The issuer the API's JWT authorizer trusts. */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
