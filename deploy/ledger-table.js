// The ledger table as a packaged (or deployed) template defines it, with its Fn::If evaluated: what
// the ledger guards in this folder compare. After `serverless package` every parameter is a literal,
// so the template's Conditions are evaluated as they stand, or with some of them overridden to ask
// "what would this template be with stateIndex=off".

const TABLE = 'LedgerTable';

/**
 * The parameters that switch ledger indexes in resources/ledger-table.yml, each value as the
 * conditions it sets. A deploy plan (ledger-index-guard.js) is a sequence of these settings.
 */
const SWITCHES = [
  { param: 'batchIndex', values: { on: { BatchIndexOn: true }, off: { BatchIndexOn: false } } },
  { param: 'pendingIndex', values: { on: { PendingIndexOn: true }, off: { PendingIndexOn: false } } },
  {
    param: 'stateIndex',
    values: {
      on: { StateIndexOff: false, StateIndexAll: false },
      all: { StateIndexOff: false, StateIndexAll: true },
      off: { StateIndexOff: true, StateIndexAll: false },
    },
  },
  {
    param: 'dayIndex',
    values: {
      on: { DayIndexOff: false, DayIndexAll: false },
      all: { DayIndexOff: false, DayIndexAll: true },
      off: { DayIndexOff: true, DayIndexAll: false },
    },
  },
];

/**
 * Condition functions over literals.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/conditions-section-structure.html
 */
const conditionValue = (node, conditions, overrides) => {
  const [key, value] = Object.entries(node ?? {})[0] ?? [];
  const args = Array.isArray(value) ? value : [value];
  switch (key) {
    case 'Fn::Equals':
      return String(args[0]) === String(args[1]);
    case 'Fn::Not':
      return !conditionValue(args[0], conditions, overrides);
    case 'Fn::And':
      return args.every((arg) => conditionValue(arg, conditions, overrides));
    case 'Fn::Or':
      return args.some((arg) => conditionValue(arg, conditions, overrides));
    case 'Condition':
      return holds(value, conditions, overrides);
    default:
      throw new Error(`ledger guard: cannot evaluate the condition ${JSON.stringify(node)}`);
  }
};

const holds = (name, conditions, overrides) =>
  name in overrides ? overrides[name] : conditionValue(conditions?.[name], conditions, overrides);

const NO_VALUE = Symbol('AWS::NoValue');

/** `node` with each Fn::If replaced by its chosen branch; AWS::NoValue drops the property or item. */
const chooseBranches = (node, conditions, overrides) => {
  const choose = (value) => {
    if (Array.isArray(value)) return value.map(choose).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    const branch = value['Fn::If'];
    if (branch && Object.keys(value).length === 1) return choose(holds(branch[0], conditions, overrides) ? branch[1] : branch[2]);
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, item]) => [key, choose(item)])
        .filter(([, item]) => item !== NO_VALUE),
    );
  };
  const chosen = choose(node);
  return chosen === NO_VALUE ? undefined : chosen;
};

/**
 * The ledger table's resource with its properties evaluated, or undefined when the template has
 * none. `overrides` sets conditions by name.
 */
const ledgerTable = (template, overrides = {}) => {
  const resource = template?.Resources?.[TABLE];
  if (!resource) return undefined;
  return { ...resource, Properties: chooseBranches(resource.Properties ?? {}, template.Conditions ?? {}, overrides) ?? {} };
};

/**
 * Each global secondary index by name: what cannot change in place (key schema and projection).
 * Throughput and contributor-insights settings can, so they are left out.
 */
const indexDefinitions = (template, overrides = {}) =>
  new Map(
    (ledgerTable(template, overrides)?.Properties.GlobalSecondaryIndexes ?? []).map((index) => [
      index.IndexName,
      { KeySchema: index.KeySchema ?? [], Projection: index.Projection ?? {} },
    ]),
  );

/** An index definition in words: "state HASH, receivedAt RANGE; INCLUDE key, batch". */
const describeIndex = ({ KeySchema, Projection }) =>
  `${KeySchema.map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ')}; ${Projection.ProjectionType}` +
  (Projection.NonKeyAttributes?.length ? ` ${Projection.NonKeyAttributes.join(', ')}` : '');

const sameDefinition = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** What changes from one set of index definitions to another. */
const indexChanges = (before, after) => ({
  added: [...after.keys()].filter((name) => !before.has(name)),
  removed: [...before.keys()].filter((name) => !after.has(name)),
  changed: [...after.keys()].filter((name) => before.has(name) && !sameDefinition(before.get(name), after.get(name))),
});

/** The value of each switch the template was packaged with, for the switches it has. */
const switchSettings = (template) => {
  const conditions = template?.Conditions ?? {};
  return Object.fromEntries(
    SWITCHES.flatMap(({ param, values }) => {
      const names = Object.keys(Object.values(values)[0]);
      if (!names.every((name) => name in conditions)) return [];
      const value = Object.entries(values).find(([, set]) => names.every((name) => holds(name, conditions, {}) === set[name]));
      return value ? [[param, value[0]]] : [];
    }),
  );
};

/** The conditions a set of switch values stands for. */
const overridesFor = (settings) =>
  Object.assign({}, ...SWITCHES.filter(({ param }) => param in settings).map(({ param, values }) => values[settings[param]]));

module.exports = {
  TABLE,
  SWITCHES,
  chooseBranches,
  ledgerTable,
  indexDefinitions,
  describeIndex,
  indexChanges,
  sameDefinition,
  switchSettings,
  overridesFor,
};
