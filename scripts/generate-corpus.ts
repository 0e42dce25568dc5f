/**
 * Writes N invented articles shaped like the seed (RSSHub's Hexo output) for benchmarks:
 * Chinese and English text from word lists, hierarchical categories, a skewed author
 * distribution, three years of dates in several formats, images of every kind scrapers
 * leave behind, some hostile markup, and sizes from 1 KB to 200 KB around a 7 KB median.
 * The same seed always gives the same files.
 *
 *   tsx scripts/generate-corpus.ts --dir /dev/shm/corpus --count 10000 [--seed 1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface CorpusOptions {
  /** Folder the articles are written into (created if missing). */
  dir: string;
  count: number;
  /** Same seed, same corpus. */
  seed?: number;
}

export interface CorpusSummary {
  files: string[];
  bytes: number;
  /** The newest article's date. */
  newest: Date;
}

/** mulberry32: small, fast and good enough to vary invented articles. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const chance = (p: number) => next() < p;
  const normal = () => {
    const u = next() || 1e-12;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, int, pick, chance, normal };
}

type Random = ReturnType<typeof randomSource>;

const ZH_WORDS = (
  '经济 发展 合作 会议 记者 报道 政府 市场 企业 技术 创新 数据 国际 地区 城市 农村 教育 医疗 ' +
  '科学 研究 专家 表示 认为 指出 强调 今年 去年 增长 下降 预计 计划 项目 投资 消费 出口 进口 ' +
  '能源 环境 气候 交通 铁路 港口 航空 手机 芯片 软件 平台 用户 服务 产品 价格 公司 银行 ' +
  '股市 基金 政策 改革 安全 谈判 协议 代表 总统 部长 官员 民众 社区 文化 历史 博物馆 电影 ' +
  '音乐 比赛 球队 运动员 冠军 游戏 动画 作品 发布 推出 宣布 启动 完成 进行 继续 加强 推动 ' +
  '实现 提高 支持 关注 影响 问题 情况 方面 方式 目标 结果 时间 地方 全球 国内 海外'
).split(' ');
const ZH_JOINERS = ['，', '，', '，', '、', '；'];

const EN_WORDS = (
  'the a of and to in on for with at by from about after before during under over city council ' +
  'government market company report data study researchers officials residents harbour railway ' +
  'energy climate weather school hospital festival museum film album team season match player ' +
  'minister talks agreement budget prices growth exports imports factory farmers harvest river ' +
  'bridge station airport phone chip software platform users service launch announced said ' +
  'expected planned reported confirmed opened closed rose fell new local national regional ' +
  'international annual early late strong weak record first last major small large public ' +
  'private week month year morning evening spokesperson analysts investors workers students'
).split(' ');

/** Groups, sites and channels: a few dozen names, 2–4 levels deep as RSSHub writes them. */
const CATEGORY_TREE: Record<string, Record<string, string[]>> = {
  新媒体: { 观察者网: ['头条', '国际', '财经'], 澎湃新闻: ['时事', '思想'], 界面: ['快讯'] },
  科技: { '36kr': ['快讯', '资讯'], cnBeta: ['科技', '游戏'], IT之家: ['— 首页', '手机'] },
  财经: { 金色财经: ['快讯'], 华尔街见闻: ['要闻', '市场'] },
  World: { Reuters: ['World', 'Business'], 'The Guardian': ['Environment', 'Culture'] },
  Tech: { 'Hacker News': ['Front page'], 'Ars Technica': ['Science', 'Gaming'] },
  游戏: { '3DMGame': ['新闻'], GameRes游资网: ['行业'] },
};

function categoryTrail(random: Random): string[] {
  const group = random.pick(Object.keys(CATEGORY_TREE));
  const sites = CATEGORY_TREE[group]!;
  const site = random.pick(Object.keys(sites));
  const trail = [group, site];
  if (random.chance(0.85)) trail.push(random.pick(sites[site]!));
  if (trail.length === 3 && random.chance(0.15)) trail.push(random.chance(0.5) ? '深度' : 'Live');
  return trail;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂'.split('');
const EN_FIRST = 'Alice Ben Chloe David Emma Felix Grace Henry Ivy Jack Lena Marco Nina Omar'.split(
  ' ',
);
const EN_LAST = 'Smith Jones Brown Garcia Miller Davis Wilson Moore Taylor Clark Lewis Hall'.split(
  ' ',
);

/** Hundreds of authors; a few wire services write most of the articles. */
function authorList(random: Random): string[] {
  const authors = ['观察者网', '新华社', 'Reuters', '36氪', '本报记者'];
  while (authors.length < 400) {
    const name = random.chance(0.7)
      ? `${random.pick(SURNAMES)}${random.pick(GIVEN)}${random.chance(0.5) ? random.pick(GIVEN) : ''}`
      : `${random.pick(EN_FIRST)} ${random.pick(EN_LAST)}`;
    if (!authors.includes(name)) authors.push(name);
  }
  return authors;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 2822 as RSSHub writes it, SQL-style without a zone, or ISO with milliseconds. */
function formatDate(date: Date, random: Random): string {
  const r = random.next();
  if (r < 0.7) {
    return `${WEEKDAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`;
  }
  if (r < 0.9) return date.toISOString().replace('T', ' ').slice(0, 19);
  return date.toISOString();
}

function sentence(random: Random, chinese: boolean): string {
  const count = random.int(6, 16);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    words.push(random.pick(chinese ? ZH_WORDS : EN_WORDS));
    if (chinese && i > 0 && i < count - 1 && random.chance(0.15))
      words.push(random.pick(ZH_JOINERS));
  }
  if (chinese) return `${words.join('')}。`;
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function title(random: Random, chinese: boolean): string {
  const count = random.int(4, 9);
  const words = Array.from({ length: count }, () => random.pick(chinese ? ZH_WORDS : EN_WORDS));
  if (chinese) return words.join('');
  const text = words.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

/** Every kind of image URL scraped bodies carry, lazy ones behind a placeholder. */
function image(random: Random, index: number): { tag: string; url: string } {
  const file = `${random.int(100000, 999999)}.jpg`;
  const kind = random.int(0, 4);
  const url = [
    `https://i.example-news.cn/news/${file}`,
    `//cdn.example-news.cn/img/${file}`,
    `/images/${file}`,
    `../uploads/${file}`,
    `https://img.example-wire.com/${file}?x-process=resize,w_800`,
  ][kind]!;
  const size = random.chance(0.5) ? ` width="${random.int(300, 970)}px" height="374px"` : '';
  const referrer = random.chance(0.6) ? ' referrerpolicy="no-referrer"' : '';
  const tag = random.chance(0.25)
    ? `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${url}" class="lazy"${size}${referrer}>`
    : `<img src="${url}"${size}${referrer} title="图${index + 1}">`;
  return { tag, url };
}

const HOSTILE = [
  '<script>document.cookie="stolen="+document.cookie</script>',
  '<img src="x.png" onerror="alert(1)">',
  '<a href="javascript:alert(document.domain)">点击查看</a>',
  '<a href=" jav&#x09;ascript:alert(1)">more</a>',
  '<iframe src="https://tracker.example.net/frame" width="1" height="1"></iframe>',
  '<iframe src="//player.bilibili.com/player.html?bvid=BV1xx411c7mD"></iframe>',
  '<style>body{display:none}.ad{position:fixed}</style>',
  '<p onclick="steal()" style="color:red">广告</p>',
  '<form action="https://phish.example.net"><input type="password" name="p"></form>',
];

/** Log-normal sizes around a 7 KB median, clamped to 1 KB–200 KB. */
function targetBytes(random: Random): number {
  const bytes = Math.exp(Math.log(7000) + 0.85 * random.normal());
  return Math.round(Math.min(200_000, Math.max(1000, bytes)));
}

function article(random: Random, index: number, authors: string[]) {
  const chinese = random.chance(0.7);
  const heading = title(random, chinese);
  const start = Date.UTC(2021, 0, 1);
  const span = Date.UTC(2024, 0, 1) - start;
  const date = new Date(start + Math.floor((random.next() * span) / 1000) * 1000);
  // Skewed: the first few authors (wire services) write most articles.
  const author = authors[Math.floor(authors.length * random.next() ** 3)]!;
  const trail = categoryTrail(random);
  const images = Array.from({ length: random.int(0, 4) }, (_, n) => image(random, n));
  const cover = images[0]?.url;

  const lines = ['', '---'];
  lines.push(`title: '${heading.replace(/'/g, "''")}'`);
  lines.push('categories: ', ...trail.map((name) => ` - ${name}`));
  if (cover && random.chance(0.8)) lines.push(`headimg: '${cover}'`);
  lines.push(`author: ${author}`, 'comments: false', `date: ${formatDate(date, random)}`);
  if (cover) lines.push(`thumbnail: '${cover}'`);
  if (random.chance(0.3))
    lines.push(
      `tags: [${Array.from({ length: random.int(1, 3) }, () => random.pick(chinese ? ZH_WORDS : EN_WORDS)).join(', ')}]`,
    );
  lines.push('---', '', '<div>   ');

  const target = targetBytes(random);
  const header = `${lines.join('\n')}\n`;
  let bytes = Buffer.byteLength(header);
  const body: string[] = [];
  let paragraph = 0;
  while (bytes < target - 20) {
    let text = '';
    const sentences = random.int(2, 6);
    for (let i = 0; i < sentences; i++) text += `${chinese ? '' : ' '}${sentence(random, chinese)}`;
    if (random.chance(0.1))
      text = text.replace(
        /^(.{4,})/u,
        `<a href="https://www.example-news.cn/${random.int(1, 9999)}.shtml" target="_blank">$1</a>`,
      );
    let html = `<p>\n${text.trim()}\n</p>`;
    if (paragraph < images.length && random.chance(0.5))
      html = `<p style="text-align:center;">\n${images[paragraph]!.tag}\n</p>\n${html}`;
    if (random.chance(0.01)) html += `\n${random.pick(HOSTILE)}`;
    body.push(html);
    bytes += Buffer.byteLength(html) + 1;
    paragraph++;
  }
  if (random.chance(0.05)) body.push(random.pick(HOSTILE));
  const text = `${header}${body.join('\n')}\n  \n</div>\n            `;
  const yearMonth = date.toISOString().slice(0, 7).replace('-', '/');
  const name = `${String(index).padStart(6, '0')}-${heading.slice(0, 24).replace(/[\s/\\:*?"<>|']+/g, '_')}.md`;
  return { relativePath: `${yearMonth}/${name}`, text, date };
}

export function generateCorpus(options: CorpusOptions): CorpusSummary {
  const random = randomSource(options.seed ?? 1);
  const authors = authorList(random);
  const files: string[] = [];
  const folders = new Set<string>();
  let bytes = 0;
  let newest = 0;
  for (let index = 0; index < options.count; index++) {
    const { relativePath, text, date } = article(random, index, authors);
    newest = Math.max(newest, date.getTime());
    const file = path.join(options.dir, relativePath);
    const folder = path.dirname(file);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    files.push(relativePath);
  }
  return { files, bytes, newest: new Date(newest) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.dir) {
    console.error('usage: tsx scripts/generate-corpus.ts --dir DIR [--count N] [--seed S]');
    process.exit(2);
  }
  const started = performance.now();
  const summary = generateCorpus({
    dir: values.dir,
    count: Number(values.count),
    seed: Number(values.seed),
  });
  console.log(
    `${summary.files.length} articles, ${(summary.bytes / 1048576).toFixed(1)} MB in ${values.dir} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}
