/**
 * The web console in the cloud: the built single-page app (web/) in a private bucket that only
 * CloudFront reads (origin access control), served over HTTPS with security headers, and the
 * console's config.json written beside it at deployment (the API's URL, the Cognito hosted login).
 * The distribution's address is the app client's callback URL and the API's CORS origin.
 */
import { execFileSync } from 'node:child_process';
import { type CfnElement, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { fromRepoRoot } from './paths.js';

export interface WebConsoleConfig {
  apiUrl: string;
  /** The user pool's issuer URL (OIDC authority). */
  authority: string;
  clientId: string;
  /** The hosted login's base URL (https://<prefix>.auth.<region>.amazoncognito.com). */
  domain: string;
  timeZone: string;
  currency: string;
}

export class WebConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<distribution domain> — the console's origin. */
  readonly url: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.logsBucket = new s3.Bucket(this, 'AccessLogs', {
      // CloudFront standard logs are delivered with ACLs, so this bucket lets the object writer own them.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ id: 'old-builds-out', noncurrentVersionExpiration: Duration.days(30) }],
      // Built files only: a new deployment writes them again.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // Scripts and styles from the console only; it talks to the API and to Cognito, nothing else.
          contentSecurityPolicy: [
            "default-src 'self'",
            "img-src 'self' data: blob:",
            "style-src 'self'",
            "script-src 'self'",
            `connect-src 'self' https://*.execute-api.${region}.amazonaws.com https://cognito-idp.${region}.amazonaws.com https://*.auth.${region}.amazoncognito.com`,
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'self'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Order-to-cash web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The console is for the company’s own staff wherever they travel; access is controlled by Cognito sign-in and the API’s JWT authorizer, not by country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves static files only (no forms, no origin logic); the API behind it has its own throttling. A WAF web ACL can be attached per deployment.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'Served on the default *.cloudfront.net certificate, where CloudFront fixes the TLS policy; with a custom domain the TLSv1.2_2021 minimum set here applies.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** Uploads the built console with its config.json; files are built by Vite when the asset is staged (cdk synth/deploy). */
  deploy(config: WebConsoleConfig): s3deploy.BucketDeployment {
    const webDir = fromRepoRoot('web');
    const site = s3deploy.Source.asset(webDir, {
      exclude: ['dist', 'node_modules'],
      bundling: {
        // Built locally with Vite (tryBundle); the image is only the fallback CDK requires to be named.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: {
          tryBundle(outputDir: string) {
            execFileSync(process.execPath, [fromRepoRoot('node_modules/vite/bin/vite.js'), 'build', '--config', `${webDir}/vite.config.ts`, '--outDir', outputDir, '--emptyOutDir'], { stdio: 'inherit' });
            return true;
          },
        },
      },
    });
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [site, s3deploy.Source.jsonData('config.json', { apiUrl: config.apiUrl.replace(/\/$/, ''), auth: { mode: 'cognito', authority: config.authority, clientId: config.clientId, domain: config.domain }, timeZone: config.timeZone, currency: config.currency })],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      prune: true,
      memoryLimit: 512,
    });
    // CDK's own upload function (one per stack, Python, managed by CDK): what it may do is CDK's design, acknowledged here.
    Validations.of(deployment.handlerRole).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment handler role carries the basic execution policy for its CloudWatch logs; the role and its function are created and kept by aws-cdk-lib.",
      },
      ...['Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*', 'Action::s3:Abort*', 'Action::s3:DeleteObject*', 'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*', `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`, 'Resource::*'].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason: "CDK's BucketDeployment copies the built console from the CDK assets bucket into the console bucket and prunes old files: object-level wildcards on those two buckets only, and CloudFront invalidation, which has no resource-level permissions.",
      })),
    );
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "The BucketDeployment handler's runtime (Python) is chosen and upgraded by aws-cdk-lib with each release; it runs at deployment only, never on a request path.",
      });
    }
    return deployment;
  }
}
