package org.critmin.stats;

import java.io.Serializable;

/**
 * Which levels of some fixed effects have rows, and the connected components of the bipartite graph
 * of the first two (an edge for each pair of levels that occur in one row), as a union-find over
 * their levels. Built per block and merged ({@link #merge}), so one pass over the data finds the
 * components exactly; the size is the number of levels, never the number of rows.
 */
final class LevelGraph implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Per fixed effect (in the order asked for), whether each level has a row. */
  private final boolean[][] present;
  /** Union-find parents over the levels of the first fixed effect, then those of the second. */
  private final int[] parent;
  private final int offset;

  private LevelGraph(boolean[][] present, int[] parent, int offset) {
    this.present = present;
    this.parent = parent;
    this.offset = offset;
  }

  /** The graph of one block for the fixed effects {@code dims} (indices into the block's). */
  static LevelGraph of(Block b, int[] levels, int[] dims) {
    boolean[][] present = new boolean[dims.length][];
    for (int i = 0; i < dims.length; i++) {
      present[i] = new boolean[levels[dims[i]]];
      int[] level = b.fe[dims[i]];
      for (int r = 0; r < b.n; r++) {
        present[i][level[r]] = true;
      }
    }
    int offset = levels[dims[0]];
    int[] parent = new int[0];
    if (dims.length >= 2) {
      parent = new int[offset + levels[dims[1]]];
      for (int i = 0; i < parent.length; i++) {
        parent[i] = i;
      }
      int[] a = b.fe[dims[0]];
      int[] c = b.fe[dims[1]];
      for (int r = 0; r < b.n; r++) {
        union(parent, a[r], offset + c[r]);
      }
    }
    return new LevelGraph(present, parent, offset);
  }

  /** The union of two graphs (modifies and returns this one). */
  LevelGraph merge(LevelGraph other) {
    for (int i = 0; i < present.length; i++) {
      for (int g = 0; g < present[i].length; g++) {
        present[i][g] |= other.present[i][g];
      }
    }
    for (int i = 0; i < parent.length; i++) {
      union(parent, i, find(other.parent, i));
    }
    return this;
  }

  /** Number of levels with rows of the i-th fixed effect asked for. */
  long present(int i) {
    long count = 0;
    for (boolean p : present[i]) {
      count += p ? 1 : 0;
    }
    return count;
  }

  /** Number of connected components among the levels with rows of the first two fixed effects. */
  long components() {
    long count = 0;
    for (int i = 0; i < parent.length; i++) {
      boolean has = i < offset ? present[0][i] : present[1][i - offset];
      if (has && find(parent, i) == i) {
        count++;
      }
    }
    return count;
  }

  private static int find(int[] parent, int i) {
    int root = i;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[i] != root) {
      int next = parent[i];
      parent[i] = root;
      i = next;
    }
    return root;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
