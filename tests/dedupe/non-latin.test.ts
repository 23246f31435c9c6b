import { describe, expect, it } from 'vitest';
import { compareArticles, dedupeArticles } from '../../src/dedupe/index.ts';
import { makeArticle } from './articles.ts';
import { loadLabelledPairs } from './pairs.ts';

const pairs = loadLabelledPairs();
const pair = (name: string) => {
  const found = pairs.find((p) => p.name === name);
  if (!found) throw new Error(`missing fixture ${name}`);
  return found;
};

describe('articles in non-Latin scripts', () => {
  it('merges a Japanese copy with full-width digits and other brackets', () => {
    const { a, b } = pair('dup-full-width-digits-japanese');
    expect(a.body[0]).not.toBe(b.body[0]);
    expect(dedupeArticles([a, b]).articles).toHaveLength(1);
  });

  it('keeps the Japanese next-day report apart, though it names the same line, mayor and city', () => {
    const { a, b } = pair('different-kitahama-typhoon');
    expect(compareArticles(a, b).sameStory).toBe(false);
  });

  it('merges a Russian copy with other quotes and dashes, and keeps the Russian follow-up apart', () => {
    const dup = pair('dup-quotes-and-dropped-paragraph-russian');
    const follow = pair('different-severogorsk-heating');
    const result = dedupeArticles([dup.a, dup.b, follow.b]);
    expect(result.articles.map((article) => article.title)).toEqual([dup.a.title, follow.b.title]);
  });

  it('compares Arabic and Greek copies word by word', () => {
    const arabic = [
      'أعلنت بلدية المدينة الساحلية يوم الأحد إغلاق الميناء القديم أمام السفن الكبيرة لمدة ثلاثة أشهر بسبب أعمال الترميم.',
      'وقال رئيس البلدية إن الأعمال ستشمل تقوية الأرصفة وتوسيع الممر المائي، وإن الصيادين سيحصلون على تعويضات.',
    ];
    const greek = [
      'Το δημοτικό συμβούλιο της πόλης ενέκρινε την Τρίτη την κατασκευή νέας βιβλιοθήκης στο κέντρο, με κόστος 12 εκατομμύρια ευρώ.',
      'Ο δήμαρχος δήλωσε ότι τα έργα θα ξεκινήσουν την άνοιξη και θα ολοκληρωθούν σε δύο χρόνια.',
    ];
    const ar = makeArticle({ title: 'إغلاق الميناء القديم', body: arabic, file: 'ar-1.txt' });
    const arCopy = makeArticle({
      title: 'إغلاق الميناء القديم',
      body: arabic.map((p) => p.replace('،', ',')),
      file: 'ar-2.txt',
    });
    const el = makeArticle({ title: 'Νέα βιβλιοθήκη', body: greek, file: 'el-1.txt' });
    const elCopy = makeArticle({
      title: 'ΝΕΑ ΒΙΒΛΙΟΘΗΚΗ',
      body: greek.map((p) => `  ${p} `),
      file: 'el-2.txt',
    });
    const result = dedupeArticles([ar, el, arCopy, elCopy]);
    expect(result.articles.map((a) => a.sources.map((s) => s.file))).toEqual([
      ['ar-1.txt', 'ar-2.txt'],
      ['el-1.txt', 'el-2.txt'],
    ]);
  });

  it('does not merge Chinese stories that share many characters but no phrases', () => {
    const a = makeArticle({
      title: '市政府公布新预算',
      body: [
        '市政府周一公布了新年度预算，教育支出增加百分之八，公共交通投入也有所提高。市长表示，预算将优先用于学校建设。',
      ],
      file: 'zh-1.txt',
    });
    const b = makeArticle({
      title: '市政府预算听证会延期',
      body: [
        '原定周二举行的预算听证会因议员缺席而延期。反对派议员批评交通投入不足，并要求市长公开学校建设的详细费用。',
      ],
      file: 'zh-2.txt',
    });
    expect(dedupeArticles([a, b]).articles).toHaveLength(2);
  });
});
