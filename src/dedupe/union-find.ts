/** Disjoint sets over 0..n-1 (path halving, union by size): groups copies transitively. */
export class UnionFind {
  private readonly parent: Uint32Array;
  private readonly size: Uint32Array;

  constructor(count: number) {
    this.parent = new Uint32Array(count);
    this.size = new Uint32Array(count).fill(1);
    for (let i = 0; i < count; i++) this.parent[i] = i;
  }

  find(item: number): number {
    let node = item;
    while (this.parent[node] !== node) {
      const grandparent = this.parent[this.parent[node] as number] as number;
      this.parent[node] = grandparent;
      node = grandparent;
    }
    return node;
  }

  /** Joins the sets of `a` and `b`; false when they were already one. */
  union(a: number, b: number): boolean {
    let rootA = this.find(a);
    let rootB = this.find(b);
    if (rootA === rootB) return false;
    if ((this.size[rootA] as number) < (this.size[rootB] as number)) [rootA, rootB] = [rootB, rootA];
    this.parent[rootB] = rootA;
    this.size[rootA] = (this.size[rootA] as number) + (this.size[rootB] as number);
    return true;
  }

  /** The sets with more than one member, each listed in ascending order; sets in order of their first member. */
  groups(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let item = 0; item < this.parent.length; item++) {
      const root = this.find(item);
      if ((this.size[root] as number) < 2) continue;
      const members = byRoot.get(root);
      if (members) members.push(item);
      else byRoot.set(root, [item]);
    }
    return [...byRoot.values()];
  }
}
