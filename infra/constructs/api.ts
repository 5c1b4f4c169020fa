/**
 * The HTTP API, built from ROUTES: one route per definition (`METHOD /path`), a Lambda
 * integration to the route's function, and the Cognito JWT authorizer on every route but the
 * public ones (health, OpenAPI). Roles are checked in the handler against the same definition.
 * The API, stage, access logs and authorizer are here; routes are added by each business
 * area's nested stack (addRoute), next to their functions.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../functions/shared/definitions.js';
import type { BusinessFunction } from './business-function.js';

export interface ApiProps {
  /** Every route the API will serve (for the CORS preflight's methods); addRoute creates them. */
  readonly routes: readonly RouteDefinition[];
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

  /** The Cognito JWT authorizer of every non-public route; its resource is created under the API when a route first binds it. */
  private readonly authorizer: HttpJwtAuthorizer;
  private readonly integrations = new Map<string, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

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

    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, {
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });
  }

  /**
   * Adds a route (`METHOD /path`) with a Lambda integration to its function, in `scope`: the
   * nested stack of the function's business area, so that a route, its integration and its
   * invoke permission live beside the function and the parent stack does not grow with every
   * route. The API, its stage and the JWT authorizer stay in the parent (the authorizer is
   * created once, under the API); the nested stack receives their ids as parameters.
   */
  addRoute(scope: Construct, route: RouteDefinition, fn: BusinessFunction): apigw.HttpRoute {
    const key = routeKey(route);
    if (this.routes.has(key)) throw new Error(`route ${key} is defined twice`);
    if (fn.definition.id !== route.function.id) throw new Error(`route ${key}: given function ${fn.definition.id}, defined ${route.function.id}`);
    if (Stack.of(scope) !== Stack.of(fn)) throw new Error(`route ${key}: the route belongs in the stack of its function ${fn.definition.id}`);
    // One integration per function and API; routes that share a function share it (it lives where its first route is).
    let integration = this.integrations.get(route.function.id);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${route.function.id}Integration`, fn.function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });
      this.integrations.set(route.function.id, integration);
    }
    const isPublic = route.roles === 'public';
    const httpRoute = new apigw.HttpRoute(scope, `Route-${route.operationId}`, {
      httpApi: this.httpApi,
      routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
      integration,
      authorizer: isPublic ? new apigw.HttpNoneAuthorizer() : this.authorizer,
    });
    if (isPublic) {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${key} is public by its route definition (roles: 'public'): DESIGN.md puts the JWT authorizer on every route but health and the OpenAPI document, which carry no business data.`,
      });
    }
    this.routes.set(key, httpRoute);
    return httpRoute;
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
