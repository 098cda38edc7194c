// A production stage's parameters, packaged for real (`serverless package --param=...`, offline): the
// defaults are checked in template.test.ts on the template the whole run shares.
import { evaluate, stackResolver, type TemplateResource } from '../../local/template/cfn-intrinsics';
import { packageWithParams, type PackagedStage } from './package-with-params';
import { chooseBranches } from './template-walk';

interface Template {
  Resources: Record<string, TemplateResource & { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
  Conditions: Record<string, unknown>;
}

const MODEL = 's3://models-bucket/pegasus-cnn/model.tar.gz';
let stage: PackagedStage;
let template: Template;

beforeAll(async () => {
  stage = await packageWithParams({
    retainData: 'on',
    sourceMaps: 'on',
    submitArticleReservedConcurrency: 'off',
    modelDataUrl: MODEL,
  });
  template = stage.template as unknown as Template;
}, 300_000);

afterAll(() => stage?.remove());

const resource = (id: string) => {
  const found = template.Resources[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found;
};
const chosen = (id: string) => chooseBranches(resource(id).Properties, template.Conditions) as Record<string, unknown>;

describe('a stage packaged with retainData=on', () => {
  it('keeps the ledger on remove and on replacement, with deletion protection on', () => {
    const table = resource('LedgerTable');
    expect([table.DeletionPolicy, table.UpdateReplacePolicy, table.Properties?.DeletionProtectionEnabled]).toEqual([
      'Retain',
      'Retain',
      true,
    ]);
  });

  it('keeps the articles bucket, and the policy that denies it plain HTTP, on remove', () => {
    expect([resource('ArticlesBucket').DeletionPolicy, resource('ArticlesBucket').UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(resource('ArticlesBucketPolicy').DeletionPolicy).toBe('Retain');
  });
});

describe('a stage packaged with sourceMaps=on and submitArticleReservedConcurrency=off', () => {
  it('gives every function NODE_OPTIONS=--enable-source-maps', () => {
    const functions = Object.keys(template.Resources).filter((id) => resource(id).Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const id of functions) {
      expect((chosen(id).Environment as { Variables: Record<string, unknown> }).Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('reserves no concurrency for submitArticle', () => {
    expect(chosen('SubmitArticleLambdaFunction')).not.toHaveProperty('ReservedConcurrentExecutions');
  });
});

describe('a stage packaged with modelDataUrl', () => {
  it('serves the model.tar.gz instead of downloading modelId from the Hub', () => {
    const container = chosen('Model').PrimaryContainer as { ModelDataUrl?: string; Environment: Record<string, string> };
    expect(container.ModelDataUrl).toBe(MODEL);
    expect(container.Environment).not.toHaveProperty('HF_MODEL_ID');
    expect(container.Environment).not.toHaveProperty('HF_MODEL_REVISION');
    expect(container.Environment.HF_TASK).toBe('summarization');
  });

  it('lets the endpoint role read that object only', () => {
    // Prepare: the ARN as CloudFormation resolves it in the aws partition.
    const resolver = stackResolver(
      template.Resources,
      { stackName: 'research-summarizer-dev', region: 'us-east-1', accountId: '123456789012' },
      template.Conditions,
    );
    const role = chosen('SageMakerExecutionRole') as { Policies: { PolicyDocument: { Statement: { Sid: string }[] } }[] };
    // Act
    const statement = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement).find(({ Sid }) => Sid === 'ReadModelArtifact');
    // Assess
    expect(evaluate(statement, resolver)).toEqual({
      Sid: 'ReadModelArtifact',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::models-bucket/pegasus-cnn/model.tar.gz',
    });
  });
});
