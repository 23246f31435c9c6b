import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/dedupe/index.ts';
import { tokenHashes } from '../../src/dedupe/normalize-text.ts';

describe('normalizeText', () => {
  it('folds case, quotes, dashes, punctuation and whitespace', () => {
    const scraped = '  \u201cWe will NOT sign,\u201d  she said \u2014 twice.\t';
    const plain = '"we will not sign", she said -- twice.';
    expect(normalizeText(scraped)).toBe('we will not sign she said twice');
    expect(normalizeText(plain)).toBe(normalizeText(scraped));
  });

  it('applies compatibility folding: full-width digits and letters, ligatures', () => {
    expect(normalizeText('\uff13\uff10\uff10 \uff2b\uff4d and \ufb01nal')).toBe('300 km and final');
  });

  it('treats apostrophe styles alike', () => {
    expect(normalizeText('Hamas\u2019s leader')).toBe(normalizeText("Hamas's leader"));
  });

  it('makes each character of an unspaced script a token', () => {
    expect(normalizeText('台風12号が通過')).toBe('台 風 12 号 が 通 過');
    expect(normalizeText('ภาษาไทย')).toBe('ภ า ษ า ไ ท ย');
  });

  it('drops accents from Latin, Greek and Cyrillic letters', () => {
    expect(normalizeText('Cafe\u0301 au lait')).toBe('cafe au lait');
    expect(normalizeText('Café')).toBe(normalizeText('CAFE'));
    // Greek capitals carry no tonos: the headline in capitals must match the one in lower case.
    expect(normalizeText('ΝΕΑ ΒΙΒΛΙΟΘΗΚΗ')).toBe(normalizeText('Νέα βιβλιοθήκη'));
    expect(normalizeText('Ёлка')).toBe('елка');
  });

  it('keeps marks that are letters in other scripts', () => {
    // Devanagari vowel signs and kana voicing marks change the word: they stay.
    expect(normalizeText('नमस्ते दुनिया')).toBe('नमस्ते दुनिया');
    expect(normalizeText('काम')).not.toBe(normalizeText('कम'));
    expect(normalizeText('がか')).toBe('が か');
  });

  it('keeps Cyrillic, Greek and Arabic words whole', () => {
    expect(normalizeText('«Мы будем добиваться», — заявил Белов.')).toBe('мы будем добиваться заявил белов');
    expect(normalizeText('Η Αθήνα, σήμερα!')).toBe('η αθηνα σημερα');
    expect(normalizeText('قال الوزير: «لا»')).toBe('قال الوزير لا');
  });

  it('hashes the same tokens normalizeText shows', () => {
    expect([...tokenHashes('\u201cWe will NOT sign\u201d')]).toEqual([...tokenHashes('we will not sign')]);
    expect(tokenHashes('we will not sign')).toHaveLength(4);
    expect(tokenHashes('台風12号')).toHaveLength(4);
    expect(tokenHashes('')).toHaveLength(0);
  });

  it('gives different words different hashes', () => {
    const hashes = tokenHashes('talks resume talks stall');
    expect(hashes[0]).toBe(hashes[2]);
    expect(new Set(hashes).size).toBe(3);
  });
});
