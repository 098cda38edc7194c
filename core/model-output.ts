import { bounded } from './ledger';

/** Model outputs above this are not summaries of one article; reading stops there. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * The Hugging Face summarization pipeline answers `[{"summary_text": "..."}]`, one entry per input
 * (sagemaker-huggingface-inference-toolkit handler_service.py). Several entries are joined by lines.
 */
export const parseSummary = (body: string): { summary: string } | { problem: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: `the model output is not JSON: ${bounded(body.trim(), 200)}` };
  }
  const entries = Array.isArray(json) ? json : [json];
  const texts = entries.map((entry) =>
    entry && typeof entry === 'object' && typeof (entry as { summary_text?: unknown }).summary_text === 'string'
      ? (entry as { summary_text: string }).summary_text.trim()
      : undefined,
  );
  if (texts.length === 0 || texts.some((t) => t === undefined)) {
    return { problem: `the model output is not [{"summary_text": ...}]: ${bounded(body.trim(), 200)}` };
  }
  const summary = texts.join('\n').trim();
  return summary ? { summary } : { problem: 'the model returned an empty summary' };
};
