// node scripts/cpu-profile-stages.js <part> <file.cpuprofile>...: the share of a part's sampled busy
// time by pipeline stage, from the CPU profiles `node --cpu-prof` writes (docs/benchmarks.md, Where
// the CPU goes). <part> is submit, record, main or dynalite. A sample goes to the first stage in the
// list below with a frame anywhere on its stack matching the stage's pattern (function name, or
// function name, URL and line); idle samples are left out. Continuations after an `await` have no
// caller on their stack, so the SDK and HTTP work of every call is counted together.
const { readFileSync } = require('node:fs');

const SDK = /smithy|aws-sdk|^(signer|signRequest|resolveMiddleware|deserializ\w*|serializ\w*|marshall\w*|unmarshall\w*|Hmac|Hash)$/;
const HTTP_CLIENT =
  /^(socketOnData|parserOnIncomingClient|ClientRequest|request|onStreamRead|addChunk|Readable\.\w+|Socket\.\w+|writevGeneric)$/;
const INIT = /^(executeUserEntryPoint|wrapSafe|__require)$|lambda-worker\.js:0$/;

const STAGES = {
  submit: [
    ['init: loading the bundle (once per environment)', INIT],
    ['key phrases', /^(articleFacts|keyphrases|countPhrases|readModel)$/],
    ['read the article (GetObject, decode)', /^(open|readArticle|encodeArticle)$/],
    ['ledger writes (claim, submitted)', /^(claim|markSubmitted|conditionally|finishAttempt|update|get)$/],
    ['request write (encode, PutObject)', /^(writeRequest|encodeModelRequest)$/],
    ['InvokeEndpointAsync', /^(sendSteps|InvokeEndpointAsyncCommand)$/],
    ['SDK: middleware, signing, (de)serialising, all calls', SDK],
    ['HTTP client and streams', HTTP_CLIENT],
    ['other handler code', /^(startSummary|sendToEndpoint|handler|queuedRow|parseUploads)$/],
    ['garbage collection', /^\(garbage collector\)$/],
  ],
  record: [
    ['init: loading the bundle (once per environment)', INIT],
    ['parse the SNS notification (zod)', /^(parseNotifications|_parse2|safeParse)$/],
    ['read the output (GetObject)', /^(readOutput|transformToString)$/],
    ['ledger writes (finish)', /^(finishAttempt|finish|update|conditionally|get)$/],
    ['SDK: middleware, signing, (de)serialising, all calls', SDK],
    ['HTTP client and streams', HTTP_CLIENT],
    ['other handler code', /^(recordOutcome|handler)$/],
    ['garbage collection', /^\(garbage collector\)$/],
  ],
  main: [
    ['removing the state folder after the run (outside the /proc figures)', /^rmSync$/],
    ['the benchmark: sampler, progress', /^(sample|runBurst)$/],
    ['S3 event → journal → Lambda invoke', /^(triggerS3Event|deliver|invokeAsync|accept|pump)$/],
    [
      'S3 object writes: temporary file, MD5, commit journal, rename',
      /^(store\.putObject|writeTemporary|writeWithMd5|commit|finish|apply)$/,
    ],
    ['S3 object reads: metadata, body', /^(store\.getObject|readMetadata|readStoredMetadata|getObject|filesOf|exists)$/],
    ["s3rver's request logger (koa-logger)", /koa-logger/],
    ['s3rver: routing, auth, XML', /s3rver|koa|delegates|@koa\/router/],
    [
      'endpoint: queue, model call, output write, notification, journal',
      /^(runOnInstance|process|dispatch|stage|download|callModel|invokeModel|putObject|notify|buildNotification|writeAccepted|writeJson|complete|readInput)$/,
    ],
    [
      'autoscaling: alarms, capacity, instance launch and stop',
      /^(runDue|evaluate|applyCapacity|setDesired|reconcile|launch|bringUp|startChild|ChildProcess\.spawn)$/,
    ],
    ['edge → dynalite forwarding', /^(forward|nestingRefusal|jsonDepth)$/],
    ["SDK clients of the main thread (the endpoint's S3 and SNS calls)", SDK],
    [
      'HTTP parsing and sockets (edge, s3rver, clients)',
      /^(parserOnHeadersComplete|parserOnIncoming|socketOnData|onStreamRead|ClientRequest|Socket\.\w+|writevGeneric)$/,
    ],
    [
      'file system calls',
      /^(writeSync|openSync|renameSync|open|close|rename|writev|writeBuffer|openFileHandle|fstat|stat|read|access|mkdir)$/,
    ],
    ['garbage collection', /^\(garbage collector\)$/],
  ],
  dynalite: [
    ['expression parsing (ConditionExpression, UpdateExpression)', /^(validateExpressions)$|Parser\.js/],
    ['request validation', /^(checkValidations|checkTypes|checkType|validateAttributeValue)$/],
    ['index maintenance (updateIndexes)', /^(updateIndexes|getIndexActions)$/],
    ['LevelDB get', /^(levelDb\.get|_get)$/],
    ['LevelDB put and delete', /^(levelDb\.put|levelDb\.del|_put|_del)$/],
    ['item actions (PutItem, UpdateItem, GetItem)', /dynalite\/actions\//],
    ['HTTP and JSON', /^(parserOnHeadersComplete|parserOnIncoming|sendData|onStreamRead|endReadableNT)$/],
    ['garbage collection', /^\(garbage collector\)$/],
  ],
};

const [part, ...files] = process.argv.slice(2);
const stages = STAGES[part];
if (!stages || files.length === 0) {
  process.stderr.write(`usage: node scripts/cpu-profile-stages.js ${Object.keys(STAGES).join('|')} <file.cpuprofile>...\n`);
  process.exit(2);
}

const totals = new Map();
let busy = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf-8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const msByNode = new Map();
  profile.samples.forEach((id, i) => msByNode.set(id, (msByNode.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  for (const [id, ms] of msByNode) {
    if (nodes.get(id).callFrame.functionName === '(idle)') continue;
    busy += ms;
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = nodes.get(at).callFrame;
      frames.push([functionName, `${functionName} ${url}:${lineNumber}`]);
    }
    const found = stages.find(([, pattern]) => frames.some(([name, where]) => pattern.test(name) || pattern.test(where)));
    const stage = found ? found[0] : 'other: V8 and Node internals, no JavaScript frame named';
    totals.set(stage, (totals.get(stage) ?? 0) + ms);
  }
}
process.stdout.write(`${part}: ${Math.round(busy)} ms busy, sampled\n`);
for (const [stage, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
  process.stdout.write(`${((100 * ms) / busy).toFixed(1).padStart(6)} %  ${stage}\n`);
}
