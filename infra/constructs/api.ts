/**
 * The HTTP API, built from ROUTES: one route per definition (`METHOD /path`), a Lambda
 * integration to the route's function, and the Cognito JWT authorizer on every route but the
 * public ones (health, OpenAPI). Roles are checked in the handler against the same definition.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';

export interface ApiProps {
  readonly routes: readonly RouteDefinition[];
  readonly functions: ReadonlyMap<string, BusinessFunction>;
  /** Token issuer (the user pool's provider URL) and accepted audience (the app client id). */
  readonly jwtIssuer: string;
  readonly jwtAudience: string[];
  /**
   * Origins of browser clients served from elsewhere (CDK context `corsAllowOrigins`);
   * none = no CORS, for a console served from the API's own origin.
   */
  readonly corsAllowOrigins?: readonly string[];
  /** Stage-wide default throttling. */
  readonly throttle?: apigw.ThrottleSettings;
}

export const DEFAULT_THROTTLE: apigw.ThrottleSettings = { rateLimit: 50, burstLimit: 100 };

/** `$context` fields of HTTP APIs; no request or response bodies, no tokens. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    const authorizer = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, {
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Order-to-cash API',
      createDefaultStage: false,
      corsPreflight: props.corsAllowOrigins?.length ? corsFor(props.routes, props.corsAllowOrigins) : undefined,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const key = routeKey(route);
      if (this.routes.has(key)) throw new Error(`route ${key} is defined twice`);
      const fn = props.functions.get(route.function.id);
      if (!fn) throw new Error(`route ${key}: function ${route.function.id} was not created`);
      let integration = integrations.get(route.function.id);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function.id}Integration`, fn.function, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(route.function.id, integration);
      }
      const isPublic = route.roles === 'public';
      const httpRoute = new apigw.HttpRoute(this, `Route-${route.operationId}`, {
        httpApi: this.httpApi,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        integration,
        authorizer: isPublic ? new apigw.HttpNoneAuthorizer() : authorizer,
      });
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${key} is public by its route definition (roles: 'public'): DESIGN.md puts the JWT authorizer on every route but health and the OpenAPI document, which carry no business data.`,
        });
      }
      this.routes.set(key, httpRoute);
    }
  }

  get url(): string {
    // The $default stage serves at the API's root.
    return this.httpApi.apiEndpoint + '/';
  }
}

function corsFor(routes: readonly RouteDefinition[], origins: readonly string[]): apigw.CorsPreflightOptions {
  const methods = [...new Set(routes.map((r) => r.method))].map((m) => apigw.CorsHttpMethod[m]);
  return {
    allowOrigins: [...origins],
    allowMethods: [...methods, apigw.CorsHttpMethod.OPTIONS],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
    exposeHeaders: ['etag', 'location'],
    maxAge: Duration.hours(1),
  };
}
