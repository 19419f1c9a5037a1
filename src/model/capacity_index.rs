//! Indexes over the free capacity of a cluster's instances, kept in step with every reserve and
//! release, so that placement can find "the first instance, in some order, that has at least
//! this much CPU, memory and ENI slots" without looking at every instance:
//!
//! - [`IdTree`]: a segment tree over instance ids (launch order) with per-subtree maxima and
//!   minima of free CPU, memory and ENI slots: first fit by id, and counting or selecting the
//!   fitting instances in id order (for `random`).
//! - [`KeyForest`]: per availability zone, a treap of the zone's instances ordered by
//!   (free amount of one resource, id), with per-subtree maxima: "the least free memory (or CPU)
//!   that still fits", ties to the lowest id — exactly `binpack`'s choice.
//!
//! Both live in fixed arenas indexed by instance id: updates allocate nothing; only adding
//! instances grows them.

/// "No node".
const NIL: u32 = u32::MAX;

/// Free capacity of one instance: CPU units, memory MiB, ENI slots.
pub type Free = [u32; 3];

/// Whether `have` covers `need` in every dimension.
#[inline]
pub fn covers(have: &Free, need: &Free) -> bool {
    have[0] >= need[0] && have[1] >= need[1] && have[2] >= need[2]
}

#[inline]
fn max3(a: Free, b: Free) -> Free {
    [a[0].max(b[0]), a[1].max(b[1]), a[2].max(b[2])]
}

#[inline]
fn min3(a: Free, b: Free) -> Free {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].min(b[2])]
}

/// A segment tree over instance ids with subtree maxima and minima of free capacity.
#[derive(Debug, Clone, Default)]
pub struct IdTree {
    /// Leaves start at `size`; node `k` has children `2k` and `2k + 1`.
    size: usize,
    /// Real instances (leaves `len..size` are padding and never match).
    len: usize,
    max: Vec<Free>,
    min: Vec<Free>,
}

impl IdTree {
    /// A tree over no instance.
    pub const EMPTY: IdTree = IdTree {
        size: 0,
        len: 0,
        max: Vec::new(),
        min: Vec::new(),
    };

    /// Make room for `n` instances (rebuilding from `free` when the tree must grow).
    pub fn grow(&mut self, n: usize, free: &[Free]) {
        self.len = free.len();
        if n <= self.size {
            return;
        }
        let size = n.next_power_of_two().max(1);
        self.size = size;
        self.max = vec![[0; 3]; 2 * size];
        self.min = vec![[0; 3]; 2 * size];
        for (i, f) in free.iter().enumerate() {
            self.max[size + i] = *f;
            self.min[size + i] = *f;
        }
        for k in (1..size).rev() {
            self.max[k] = max3(self.max[2 * k], self.max[2 * k + 1]);
            self.min[k] = min3(self.min[2 * k], self.min[2 * k + 1]);
        }
    }

    /// How many instances fit before the tree must grow.
    pub fn capacity(&self) -> usize {
        self.size
    }

    /// What leaf `i` holds (for checks).
    pub fn leaf(&self, i: usize) -> Free {
        self.max[self.size + i]
    }

    /// Instance `i` now has `f` free.
    pub fn set(&mut self, i: usize, f: Free) {
        self.len = self.len.max(i + 1);
        let mut k = self.size + i;
        self.max[k] = f;
        self.min[k] = f;
        while k > 1 {
            k /= 2;
            self.max[k] = max3(self.max[2 * k], self.max[2 * k + 1]);
            self.min[k] = min3(self.min[2 * k], self.min[2 * k + 1]);
        }
    }

    /// Whether some instance has at least `need` free.
    pub fn any_covers(&self, need: &Free) -> bool {
        self.size > 0 && covers(&self.max[1], need)
    }

    /// The lowest id with at least `need` free for which `accept` holds.
    pub fn first(&self, need: &Free, accept: &mut dyn FnMut(u32) -> bool) -> Option<u32> {
        if self.size == 0 {
            return None;
        }
        self.first_in(1, need, accept)
    }

    fn first_in(&self, k: usize, need: &Free, accept: &mut dyn FnMut(u32) -> bool) -> Option<u32> {
        if !covers(&self.max[k], need) {
            return None;
        }
        if k >= self.size {
            let id = k - self.size;
            return (id < self.len && accept(id as u32)).then_some(id as u32);
        }
        self.first_in(2 * k, need, accept)
            .or_else(|| self.first_in(2 * k + 1, need, accept))
    }

    /// Number of instances with at least `need` free for which `accept` holds. With
    /// `accept_all` (accept is true for every instance), whole subtrees whose minimum covers
    /// `need` are counted without a visit.
    pub fn count(
        &self,
        need: &Free,
        accept_all: bool,
        accept: &mut dyn FnMut(u32) -> bool,
    ) -> usize {
        if self.size == 0 {
            return 0;
        }
        self.count_in(1, self.size, need, accept_all, accept)
    }

    fn count_in(
        &self,
        k: usize,
        width: usize,
        need: &Free,
        accept_all: bool,
        accept: &mut dyn FnMut(u32) -> bool,
    ) -> usize {
        if !covers(&self.max[k], need) {
            return 0;
        }
        if accept_all && covers(&self.min[k], need) {
            // Every leaf of the subtree fits; count only the real ones.
            let first_leaf = k * width - self.size;
            return self.len.saturating_sub(first_leaf).min(width);
        }
        if k >= self.size {
            let id = k - self.size;
            return usize::from(id < self.len && accept(id as u32));
        }
        self.count_in(2 * k, width / 2, need, accept_all, accept)
            + self.count_in(2 * k + 1, width / 2, need, accept_all, accept)
    }

    /// The `nth` (from 0) instance in id order with at least `need` free for which `accept`
    /// holds.
    pub fn select(
        &self,
        mut nth: usize,
        need: &Free,
        accept_all: bool,
        accept: &mut dyn FnMut(u32) -> bool,
    ) -> Option<u32> {
        if self.size == 0 {
            return None;
        }
        let (mut k, mut width) = (1, self.size);
        while k < self.size {
            let left = self.count_in(2 * k, width / 2, need, accept_all, accept);
            width /= 2;
            if nth < left {
                k *= 2;
            } else {
                nth -= left;
                k = 2 * k + 1;
            }
        }
        let id = k - self.size;
        (nth == 0 && id < self.len && covers(&self.max[k], need) && accept(id as u32))
            .then_some(id as u32)
    }
}

/// Treap priority of a node: a fixed hash of its id (deterministic, well spread).
#[inline]
fn priority(id: u32) -> u32 {
    let mut x = id.wrapping_mul(0x9e37_79b9) ^ 0x85eb_ca6b;
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x
}

/// A node of a [`KeyForest`]: one instance, with its key, its own free amounts and the maxima
/// over its subtree, together so that a visit touches one cache line.
#[derive(Debug, Clone, Copy)]
struct Node {
    left: u32,
    right: u32,
    key: u32,
    own: Free,
    agg: Free,
}

const EMPTY: Node = Node {
    left: NIL,
    right: NIL,
    key: 0,
    own: [0; 3],
    agg: [0; 3],
};

/// Per zone, the zone's instances ordered by (key, id), where the key is the instance's free
/// amount of one resource; subtrees carry the maxima of all three free amounts.
#[derive(Debug, Clone, Default)]
pub struct KeyForest {
    /// Which resource is the key: 0 CPU, 1 memory.
    field: usize,
    /// Whether the forest is kept at all (a cluster keeps only those its strategies use).
    enabled: bool,
    roots: Vec<u32>,
    nodes: Vec<Node>,
    /// The path from a root down to a node, reused by updates (no allocation once grown).
    path: Vec<u32>,
}

impl KeyForest {
    /// A forest keyed on resource `field` (0 CPU, 1 memory) over `zones` zones.
    pub fn new(field: usize, zones: usize) -> KeyForest {
        KeyForest {
            field,
            enabled: true,
            roots: vec![NIL; zones.max(1)],
            nodes: Vec::new(),
            path: Vec::new(),
        }
    }

    /// Whether the forest is kept (and can answer queries).
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Stop keeping the forest (before any instance is added).
    pub fn disable(&mut self) {
        self.enabled = false;
    }

    /// Add instance `id` (the next id) in `zone` with `free` amounts.
    pub fn push(&mut self, id: u32, zone: usize, free: Free) {
        if !self.enabled {
            return;
        }
        debug_assert_eq!(id as usize, self.nodes.len());
        self.nodes.push(EMPTY);
        self.set_own(id, free);
        self.attach(zone, id);
    }

    /// Instance `id` in `zone` now has `free` amounts: take it out along its path and put it
    /// back under its new key, refreshing the maxima on the way.
    pub fn update(&mut self, id: u32, zone: usize, free: Free) {
        if !self.enabled {
            return;
        }
        self.detach(zone, id);
        self.set_own(id, free);
        self.attach(zone, id);
    }

    /// Make `with` the child of `parent` on the side where `id` belongs (or the root of `zone`
    /// when `parent` is NIL).
    fn relink(&mut self, zone: usize, parent: u32, id: u32, with: u32) {
        if parent == NIL {
            self.roots[zone] = with;
        } else if self.order(id) < self.order(parent) {
            self.nodes[parent as usize].left = with;
        } else {
            self.nodes[parent as usize].right = with;
        }
    }

    /// Refresh the maxima of the nodes on `self.path`, deepest first, after one change below
    /// the deepest: once a node's maxima come out unchanged, those above cannot change either.
    fn pull_path(&mut self) {
        while let Some(t) = self.path.pop() {
            if !self.pull(t) {
                break;
            }
        }
    }

    /// Walk down the treap of `zone` the way `id`'s order leads, recording the path in
    /// `self.path`, until `stop(node)` holds or the walk falls off; returns where it stopped.
    fn walk_down(&mut self, zone: usize, id: u32, stop: impl Fn(u32) -> bool) -> u32 {
        self.path.clear();
        let mut t = self.roots[zone];
        while t != NIL && !stop(t) {
            self.path.push(t);
            let n = self.nodes[t as usize];
            t = if self.order(id) < self.order(t) {
                n.left
            } else {
                n.right
            };
        }
        t
    }

    /// Take node `id` out of the treap of `zone`: walk down to it, put the merge of its
    /// children in its place, refresh the maxima on the way back up.
    fn detach(&mut self, zone: usize, id: u32) {
        if self.walk_down(zone, id, |t| t == id) == NIL {
            return;
        }
        let n = self.nodes[id as usize];
        let merged = self.merge(n.left, n.right);
        let parent = self.path.last().copied().unwrap_or(NIL);
        self.relink(zone, parent, id, merged);
        self.pull_path();
    }

    /// Put the detached node `id` into the treap of `zone` where its key and priority place it.
    fn attach(&mut self, zone: usize, id: u32) {
        let t = self.walk_down(zone, id, |t| priority(id) > priority(t));
        let (l, r) = self.split(t, self.order(id));
        self.nodes[id as usize].left = l;
        self.nodes[id as usize].right = r;
        self.pull(id);
        let parent = self.path.last().copied().unwrap_or(NIL);
        self.relink(zone, parent, id, id);
        self.pull_path();
    }

    fn set_own(&mut self, id: u32, free: Free) {
        let n = &mut self.nodes[id as usize];
        n.left = NIL;
        n.right = NIL;
        n.key = free[self.field];
        n.own = free;
        n.agg = free;
    }

    /// Recompute the maxima of `t` from its own amounts and its children; whether they changed.
    #[inline]
    fn pull(&mut self, t: u32) -> bool {
        let n = self.nodes[t as usize];
        let mut a = n.own;
        if n.left != NIL {
            a = max3(a, self.nodes[n.left as usize].agg);
        }
        if n.right != NIL {
            a = max3(a, self.nodes[n.right as usize].agg);
        }
        self.nodes[t as usize].agg = a;
        a != n.agg
    }

    #[inline]
    fn order(&self, t: u32) -> (u32, u32) {
        (self.nodes[t as usize].key, t)
    }

    /// Split `t` into nodes ordered before `k` and the rest.
    fn split(&mut self, t: u32, k: (u32, u32)) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        if self.order(t) < k {
            let (l, r) = self.split(self.nodes[t as usize].right, k);
            self.nodes[t as usize].right = l;
            self.pull(t);
            (t, r)
        } else {
            let (l, r) = self.split(self.nodes[t as usize].left, k);
            self.nodes[t as usize].left = r;
            self.pull(t);
            (l, t)
        }
    }

    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if priority(a) > priority(b) {
            let r = self.merge(self.nodes[a as usize].right, b);
            self.nodes[a as usize].right = r;
            self.pull(a);
            a
        } else {
            let l = self.merge(a, self.nodes[b as usize].left);
            self.nodes[b as usize].left = l;
            self.pull(b);
            b
        }
    }

    /// In `zone`, the instance with the smallest (key, id) whose key is at least `need[field]`,
    /// that has at least `need` free, and for which `accept` holds.
    pub fn first(
        &self,
        zone: usize,
        need: &Free,
        accept: &mut dyn FnMut(u32) -> bool,
    ) -> Option<u32> {
        self.first_in(self.roots[zone], need, accept)
    }

    fn first_in(&self, t: u32, need: &Free, accept: &mut dyn FnMut(u32) -> bool) -> Option<u32> {
        if t == NIL {
            return None;
        }
        let n = &self.nodes[t as usize];
        if !covers(&n.agg, need) {
            return None;
        }
        if n.key < need[self.field] {
            return self.first_in(n.right, need, accept);
        }
        if let Some(x) = self.first_in(n.left, need, accept) {
            return Some(x);
        }
        if covers(&n.own, need) && accept(t) {
            return Some(t);
        }
        self.first_in(n.right, need, accept)
    }

    /// The key of instance `id`.
    pub fn key_of(&self, id: u32) -> u32 {
        self.nodes[id as usize].key
    }

    /// Check the treap of every zone against `free`: order, heap property, keys and maxima
    /// (for tests); returns the number of instances held.
    pub fn check(&self, free: &[Free]) -> Result<usize, String> {
        if !self.enabled {
            return Ok(free.len());
        }
        let mut total = 0;
        for &root in &self.roots {
            let mut prev: Option<(u32, u32)> = None;
            total += self.check_node(root, free, &mut prev)?.1;
        }
        Ok(total)
    }

    fn check_node(
        &self,
        t: u32,
        free: &[Free],
        prev: &mut Option<(u32, u32)>,
    ) -> Result<(Free, usize), String> {
        if t == NIL {
            return Ok(([0; 3], 0));
        }
        let n = &self.nodes[t as usize];
        for c in [n.left, n.right] {
            if c != NIL && priority(c) > priority(t) {
                return Err(format!("node {t}: heap order broken"));
            }
        }
        let (la, ln) = self.check_node(n.left, free, prev)?;
        if n.own != free[t as usize] || n.key != free[t as usize][self.field] {
            return Err(format!("node {t}: stale key or amounts"));
        }
        if prev.is_some_and(|p| p >= self.order(t)) {
            return Err(format!("node {t}: out of order"));
        }
        *prev = Some(self.order(t));
        let (ra, rn) = self.check_node(n.right, free, prev)?;
        let agg = max3(max3(la, ra), n.own);
        if agg != n.agg {
            return Err(format!("node {t}: stale maxima"));
        }
        Ok((agg, ln + rn + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frees(n: u32) -> Vec<Free> {
        (0..n)
            .map(|i| [(i * 37) % 101, (i * 53) % 97, i % 3])
            .collect()
    }

    #[test]
    fn id_tree_first_count_select_match_a_scan() {
        let mut f = frees(50);
        let mut t = IdTree::default();
        t.grow(f.len(), &f);
        f[7] = [1000, 1000, 5];
        t.set(7, f[7]);
        for need in [
            [0, 0, 0],
            [50, 40, 1],
            [90, 90, 2],
            [1000, 1000, 5],
            [1001, 0, 0],
        ] {
            let fit: Vec<u32> = (0..50u32)
                .filter(|&i| covers(&f[i as usize], &need))
                .collect();
            assert_eq!(
                t.first(&need, &mut |_| true),
                fit.first().copied(),
                "{need:?}"
            );
            assert_eq!(t.count(&need, true, &mut |_| true), fit.len());
            assert_eq!(
                t.count(&need, false, &mut |i| i % 2 == 0),
                fit.iter().filter(|i| *i % 2 == 0).count()
            );
            for (n, &id) in fit.iter().enumerate() {
                assert_eq!(t.select(n, &need, true, &mut |_| true), Some(id));
            }
            assert_eq!(t.select(fit.len(), &need, true, &mut |_| true), None);
        }
    }

    #[test]
    fn key_forest_finds_the_least_key_that_fits() {
        let mut f = frees(60);
        let mut k = KeyForest::new(1, 2);
        for i in 0..60u32 {
            k.push(i, (i % 2) as usize, f[i as usize]);
        }
        k.check(&f).unwrap();
        for step in 0..200u32 {
            let i = (step * 7919) % 60;
            f[i as usize] = [(step * 13) % 101, (step * 29) % 97, step % 4];
            k.update(i, (i % 2) as usize, f[i as usize]);
            assert_eq!(k.check(&f).unwrap(), 60);
            let need = [step % 50, step % 60, step % 3];
            for zone in 0..2usize {
                let best = (0..60u32)
                    .filter(|&j| (j % 2) as usize == zone && covers(&f[j as usize], &need))
                    .min_by_key(|&j| (f[j as usize][1], j));
                assert_eq!(k.first(zone, &need, &mut |_| true), best);
            }
        }
    }
}
