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
  private readonly positions = new WeakMap<readonly Article[], Map<Article, number>>();
  private readonly lists = new Map<Article, Article[]>();

  constructor(
    site: Site,
    /** How many to show; 0 shows none. */
    readonly count: number,
  ) {
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
   * in any list it is in (its tags', and every category's on its trails, since a category
   * lists its sub-categories' articles). A superset, which is what a rebuild needs.
   */
  reachOf(articles: Iterable<Article>): Set<Article> {
    const reached = new Set<Article>();
    if (this.count === 0) return reached;
    for (const article of articles) {
      const lists: TaxonomyTerm[] = this.tagsOf(article);
      for (const trail of article.categories)
        for (let depth = 1; depth <= trail.length; depth++) {
          const node = this.categoryByTrail.get(trailKey(trail.slice(0, depth)));
          if (node) lists.push(node);
        }
      for (const term of lists)
        for (const near of this.near(term.articles, article)) reached.add(near);
    }
    return reached;
  }

  private choose(article: Article): Article[] {
    const leaves = this.leavesOf(article);
    const lists = [...this.tagsOf(article), ...leaves].map((term) => term.articles);
    const time = article.date.getTime();
    const tagNames = new Set(article.tags);
    // The best `count` so far, best first: a few insertions beat sorting every candidate.
    const best: Scored[] = [];
    const seen = new Set<Article>([article]);
    for (const list of lists) {
      const index = this.positionIn(list, article);
      if (index === undefined) continue;
      const end = Math.min(list.length, index + this.window + 1);
      for (let i = Math.max(0, index - this.window); i < end; i++) {
        const candidate = list[i]!;
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        let score = 0;
        for (const name of candidate.tags) if (tagNames.has(name)) score += 2;
        // In the category or one of its sub-categories, which its list holds too.
        for (const leaf of leaves)
          if (this.positionIn(leaf.articles, candidate) !== undefined) score += 1;
        const worst = best.length === this.count ? best[best.length - 1]! : undefined;
        if (worst && score < worst.score) continue;
        const candidateTime = candidate.date.getTime();
        const scored = {
          article: candidate,
          score,
          distance: Math.abs(candidateTime - time),
          time: candidateTime,
        };
        if (worst && !isBetter(scored, worst)) continue;
        let at = best.length;
        while (at > 0 && isBetter(scored, best[at - 1]!)) at--;
        best.splice(at, 0, scored);
        if (best.length > this.count) best.pop();
      }
    }
    return best.map((scored) => scored.article);
  }

  /** The article and the `window` articles on either side of it in a list holding it. */
  private near(list: readonly Article[], article: Article): Article[] {
    const index = this.positionIn(list, article);
    if (index === undefined) return [];
    return list.slice(Math.max(0, index - this.window), index + this.window + 1);
  }

  private positionIn(list: readonly Article[], article: Article): number | undefined {
    let positions = this.positions.get(list);
    if (!positions) {
      positions = new Map(list.map((listed, index) => [listed, index]));
      this.positions.set(list, positions);
    }
    return positions.get(article);
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

function trailKey(trail: readonly string[]): string {
  return trail.join('\u0000');
}

interface Scored {
  article: Article;
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
