import { printable } from '../../cli/printable';

describe('terminal output of user input', () => {
  it('shows control characters and bidi overrides as escapes and leaves other text alone', () => {
    expect(printable('a\nb\r\u001b[31m\u0007\u009b\u202e\u2066c')).toBe('a\\u{a}b\\u{d}\\u{1b}[31m\\u{7}\\u{9b}\\u{202e}\\u{2066}c');
    expect(printable('Über 50 % — "naïve" 東京 🙂')).toBe('Über 50 % — "naïve" 東京 🙂');
  });
});
