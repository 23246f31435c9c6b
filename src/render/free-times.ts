/**
 * Times (whole milliseconds) handed out one by one, each the first free one at or after the time
 * asked for. A taken time points past itself, and a walk through a run of taken times points
 * every time it passed at the run's new end, so a run is walked once, not once per taker: an
 * archive month whose 10,000 undated stories were all first seen in the same second took
 * 50 million steps one by one (4 s for one history document at 100k stories), this way ~20,000.
 */
export class FreeTimes {
  /** For each taken time, a time at or before the first free one after it. */
  private readonly next = new Map<number, number>();
  /** Map lookups made so far (tests check the work per take stays bounded). */
  steps = 0;

  /** The first time at or after `wanted` that is not taken yet, now taken. */
  take(wanted: number): number {
    let free = wanted;
    const passed: number[] = [];
    for (let after = this.next.get(free); after !== undefined; after = this.next.get(free)) {
      this.steps++;
      passed.push(free);
      free = after;
    }
    this.steps++;
    this.next.set(free, free + 1);
    for (const time of passed) this.next.set(time, free + 1);
    return free;
  }
}
