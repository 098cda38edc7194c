import { DEFAULT_LENGTH_POLICY, finalLength, lengthsFor } from '../../core/long-article/lengths';
import type { GenerationLength } from '../../core/model-request';
import { partBudget } from '../../core/long-article/split';
import { summarizeLong, type SummarizeText } from '../../bench/summarize-long';
import { estimateTokens } from '../../core/long-article/token-estimate';

const sentence = (i: number): string => `in group ${i} the measured response rose after the second dose of the study drug .`;
const article = (sentences: number): string => Array.from({ length: sentences }, (_, i) => sentence(i)).join('\n');

interface Call {
  input: string;
  length?: GenerationLength;
}

/** A stand-in model: records each request and answers with its input's first `max_length / 1.3` words. */
const recordingModel = (maxInputTokens: number): { calls: Call[]; summarize: SummarizeText } => {
  const calls: Call[] = [];
  return {
    calls,
    summarize: async (input, length) => {
      calls.push({ input, length });
      expect(estimateTokens(input)).toBeLessThanOrEqual(maxInputTokens);
      const words = Math.floor((length?.max_length ?? 128) / 1.3);
      return (input.match(/\S+/g) ?? []).slice(0, words).join(' ');
    },
  };
};

describe('summarizeLong', () => {
  it('sends a short article as one request with the model defaults', async () => {
    // Prepare
    const text = article(10);
    const model = recordingModel(1024);

    // Act
    const result = await summarizeLong(text, model.summarize, { maxInputTokens: 1024 });

    // Assess
    expect(model.calls).toEqual([{ input: text, length: undefined }]);
    expect(result).toMatchObject({ parts: [text], requests: 1, depth: 0 });
  });

  it('summarizes each part, then reduces the joined part summaries with the final length: N + 1 requests', async () => {
    // Prepare: 1,600 words (research length), about 2,900 estimated tokens: four parts of a 1,024-token model.
    const text = article(100);
    const model = recordingModel(1024);

    // Act
    const result = await summarizeLong(text, model.summarize, { maxInputTokens: 1024 });

    // Assess
    const n = result.parts.length;
    expect(n).toBe(4);
    expect(result.requests).toBe(n + 1);
    expect(result.depth).toBe(1);
    expect(model.calls.slice(0, n).map((c) => c.length)).toEqual(Array(n).fill(lengthsFor(text, n, partBudget(1024)).part));
    expect(model.calls[n]?.length).toEqual(finalLength());
    expect(model.calls[n]?.input).toBe(result.partSummaries.join('\n\n'));
    expect(result.summary).toBe(model.calls[n]?.input.split(/\s+/).slice(0, 250).join(' '));
  });

  it('reduces in a tree when the part summaries do not fit one request, each level within the limit', async () => {
    // Prepare: a small model limit so that a long article has many parts.
    const text = article(2000);
    const model = recordingModel(256);

    // Act
    const result = await summarizeLong(text, model.summarize, { maxInputTokens: 256 });

    // Assess
    expect(result.parts.length).toBeGreaterThan(100);
    expect(result.depth).toBeGreaterThanOrEqual(3);
    expect(result.depth).toBeLessThanOrEqual(Math.ceil(Math.log2(result.parts.length)));
    expect(result.requests).toBe(model.calls.length);
    expect(model.calls.at(-1)?.length).toEqual(finalLength());
  });

  it('asks a research-length article for an abstract, parts sharing the reduce input', () => {
    // Prepare: 1,500 words or more is research length.
    const research = article(100);

    // Act
    const few = lengthsFor(research, 3, partBudget(1024));
    const many = lengthsFor(research, 40, partBudget(1024));

    // Assess: 150 to 250 words at 1.3 tokens a word; parts between 100 and 200 words, at least 3/4 of it.
    expect(few.final).toEqual({ min_length: 195, max_length: 325 });
    expect(finalLength(DEFAULT_LENGTH_POLICY)).toEqual(few.final);
    expect(few.part).toEqual({ min_length: Math.round(114 * 1.3), max_length: Math.round(153 * 1.3) });
    expect(many.part).toEqual({ min_length: Math.round(75 * 1.3), max_length: Math.round(100 * 1.3) });
  });

  it('keeps the model default length for a news-length article that needed parts', () => {
    // Prepare: under 1,500 words.
    const news = article(60);

    // Act
    const lengths = lengthsFor(news, 2, partBudget(1024));

    // Assess: no final length; parts only the default minimum of 32 tokens.
    expect(lengths.final).toBeUndefined();
    expect(lengths.part).toEqual({ min_length: 32, max_length: Math.round(200 * 1.3) });
  });
});
