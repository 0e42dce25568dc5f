import type { Article, CategoryNode, TaxonomyTerm } from '../model.ts';
import type { Site } from './site.ts';

/**
 * Articles related to an article: those sharing its tags and its categories, nearest to it
 * in those lists. Candidates are the `window` articles on either side of it in the list of
 * each of its tags and of each of its categories (the deepest of each trail), never the
 * whole list: a new article, newer than all others, then changes the candidates only of the
 * articles it lands near at the top of its lists, and an edited article can be on related
 * lists only near it (see `reachOf`), so rebuilds know which pages to look at.
 *
 * A candidate scores two per shared tag and one per shared category; the best come first,
 * ties going to the nearest in time, then the newer, then the file path.
 */
export class RelatedArticles {
  private readonly window: number;
  private readonly tagByName = new Map<string, TaxonomyTerm>();
  private readonly categoryByTrail = new Map<string, CategoryNode>();
  private positions = new WeakMap<readonly Article[], Map<Article, number>>();
  private readonly lists = new WeakMap<Article, Article[]>();
  private readonly headlines = new WeakMap<Article, string>();
  private readonly site: Site;

  constructor(
    site: Site,
    /** How many to show; 0 shows none. */
    readonly count: number,
  ) {
    this.site = site;
    this.window = Math.max(8, 2 * count);
    for (const term of site.tags) this.tagByName.set(term.name, term);
    for (const node of site.categories) this.categoryByTrail.set(trailKey(node.trail), node);
  }

  /** The related articles of an article, best first (at most `count`). */
  of(article: Article): Article[] {
    if (this.count === 0) return [];
    let list = this.lists.get(article);
    if (!list) {
      list = this.choose(article);
      this.lists.set(article, list);
    }
    return list;
  }

  /**
   * Every article whose related articles may include one of these: those near one of them
   * in one of its lists that is also one of theirs (a tag, or the deepest category of one
   * of their trails, whose list holds its sub-categories' articles too). A superset of those
   * that do, which is what a rebuild needs.
   */
  reachOf(articles: Iterable<Article>): Set<Article> {
    const reached = new Set<Article>();
    if (this.count === 0) return reached;
    for (const article of articles) {
      for (const term of this.tagsOf(article))
        for (const near of this.near(term.articles, article))
          if (near.tags.includes(term.name)) reached.add(near);
      for (const trail of article.categories)
        for (let depth = 1; depth <= trail.length; depth++) {
          const node = this.categoryByTrail.get(trailKey(trail.slice(0, depth)));
          if (!node) continue;
          for (const near of this.near(node.articles, article))
            if (near.categories.some((theirs) => sameTrail(theirs, node.trail))) reached.add(near);
        }
    }
    return reached;
  }

  /**
   * These articles were put in the place of others with the same dates, URLs and terms (the
   * dev server patching an edit in): what was chosen with the ones they replaced goes.
   */
  replaced(articles: readonly Article[]): void {
    this.positions = new WeakMap();
    for (const article of this.reachOf(articles)) this.lists.delete(article);
  }

  private choose(article: Article): Article[] {
    const leaves = this.leavesOf(article).map((node) => this.positionsIn(node.articles));
    const lists = [...this.tagsOf(article).map((term) => term.articles)];
    for (const node of this.leavesOf(article)) lists.push(node.articles);
    const time = article.date.getTime();
    // A tag that names one of its categories (scrapers tag a story with its outlet) says no
    // more than the category does.
    const categoryNames = new Set(article.categories.flat());
    const ownTags = article.tags.filter((name) => !categoryNames.has(name));
    const tagNames = ownTags.length > 0 ? new Set(ownTags) : undefined;
    // The best `count` so far, best first: a few insertions beat sorting every candidate.
    const best: Scored[] = [];
    // Not the article, nor its neighbours, which the page links already.
    const seen = new Set<Article>([article]);
    const index = this.positionsIn(this.site.articles).get(article);
    if (index !== undefined) {
      const newer = this.site.articles[index - 1];
      const older = this.site.articles[index + 1];
      if (newer) seen.add(newer);
      if (older) seen.add(older);
    }
    // One article per headline: scrapers keep a story twice under two addresses.
    const ownTitle = this.headlineOf(article);
    for (const list of lists) {
      const index = this.positionsIn(list).get(article);
      if (index === undefined) continue;
      const end = Math.min(list.length, index + this.window + 1);
      for (let i = Math.max(0, index - this.window); i < end; i++) {
        const candidate = list[i]!;
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        let score = 0;
        if (tagNames) for (const name of candidate.tags) if (tagNames.has(name)) score += 2;
        // In the category or one of its sub-categories, which its list holds too.
        for (const leaf of leaves) if (leaf.has(candidate)) score += 1;
        const worst = best.length === this.count ? best[best.length - 1]! : undefined;
        if (worst && score < worst.score) continue;
        const candidateTime = candidate.date.getTime();
        const scored = {
          article: candidate,
          title: '',
          score,
          distance: Math.abs(candidateTime - time),
          time: candidateTime,
        };
        // (Not better than the last chosen: not better than a chosen twin either.)
        if (worst && !isBetter(scored, worst)) continue;
        scored.title = this.headlineOf(candidate);
        if (scored.title === ownTitle) continue;
        // Of two with one headline, the better stays (in the place it earns).
        const twin = best.findIndex((chosen) => chosen.title === scored.title);
        if (twin >= 0) {
          if (!isBetter(scored, best[twin]!)) continue;
          best.splice(twin, 1);
        }
        let at = best.length;
        while (at > 0 && isBetter(scored, best[at - 1]!)) at--;
        best.splice(at, 0, scored);
        if (best.length > this.count) best.pop();
      }
    }
    return best.map((scored) => scored.article);
  }

  private headlineOf(article: Article): string {
    let title = this.headlines.get(article);
    if (title === undefined) {
      title = headline(article.title);
      this.headlines.set(article, title);
    }
    return title;
  }

  /** The article and the `window` articles on either side of it in a list holding it. */
  private near(list: readonly Article[], article: Article): Article[] {
    const index = this.positionsIn(list).get(article);
    if (index === undefined) return [];
    return list.slice(Math.max(0, index - this.window), index + this.window + 1);
  }

  private positionsIn(list: readonly Article[]): Map<Article, number> {
    let positions = this.positions.get(list);
    if (!positions) {
      positions = new Map(list.map((listed, index) => [listed, index]));
      this.positions.set(list, positions);
    }
    return positions;
  }

  private tagsOf(article: Article): TaxonomyTerm[] {
    const terms: TaxonomyTerm[] = [];
    for (const name of article.tags) {
      const term = this.tagByName.get(name);
      if (term) terms.push(term);
    }
    return terms;
  }

  /** The deepest category of each of the article's trails. */
  private leavesOf(article: Article): CategoryNode[] {
    const leaves: CategoryNode[] = [];
    for (const trail of article.categories) {
      const node = this.categoryByTrail.get(trailKey(trail));
      if (node && !leaves.includes(node)) leaves.push(node);
    }
    return leaves;
  }
}

/** A headline as two copies of a story have it: spaces and letter case aside. */
function headline(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

function sameTrail(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, depth) => name === b[depth]);
}

function trailKey(trail: readonly string[]): string {
  return trail.join('\u0000');
}

interface Scored {
  article: Article;
  /** Its headline, as `headline` compares them. */
  title: string;
  score: number;
  distance: number;
  time: number;
}

/** More shared terms; then nearer in time; then newer; then by file path. */
function isBetter(a: Scored, b: Scored): boolean {
  return (
    (b.score - a.score ||
      a.distance - b.distance ||
      b.time - a.time ||
      compareText(a.article.relativePath, b.article.relativePath)) < 0
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
