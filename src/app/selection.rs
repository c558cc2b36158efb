//! A list's selection, by identity: the selected item's key (an alert's fingerprint, a
//! process's PID, a host's name), so a list that re-sorts keeps the highlight on the same item.
//! The row it was on is kept too: when the item leaves the list, the selection stays on that row.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection<K> {
    key: Option<K>,
    row: usize,
}

impl<K> Default for Selection<K> {
    fn default() -> Self {
        Self { key: None, row: 0 }
    }
}

impl<K: PartialEq> Selection<K> {
    /// The row of the selected item in `rows` (as shown); if it has left the list, the row it
    /// was on (within the list). None for an empty list.
    pub fn index<T>(&self, rows: &[T], key: impl Fn(&T) -> K) -> Option<usize> {
        let last = rows.len().checked_sub(1)?;
        let found = self
            .key
            .as_ref()
            .and_then(|k| rows.iter().position(|r| key(r) == *k));
        Some(found.unwrap_or(self.row.min(last)))
    }

    /// The selected item.
    pub fn get<'a, T>(&self, rows: &'a [T], key: impl Fn(&T) -> K) -> Option<&'a T> {
        self.index(rows, key).and_then(|i| rows.get(i))
    }

    /// Moves by `by` rows (negative: up), within the list. By 0 it holds on to the item shown
    /// as selected (the first row of a list never moved in, or the row of one that left), so a
    /// re-sort does not move the highlight to another item.
    pub fn move_by<T>(&mut self, rows: &[T], by: i64, key: impl Fn(&T) -> K) {
        let Some(at) = self.index(rows, &key) else {
            return;
        };
        let to = (at as i64 + by).clamp(0, rows.len() as i64 - 1) as usize;
        self.key = Some(key(&rows[to]));
        self.row = to;
    }

    /// Selects the item with `key`, wherever it is (if it is not listed, the row stays).
    pub fn hold(&mut self, key: K) {
        self.key = Some(key);
    }

    /// Back to the first row (a new filter or order).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The key of the selected item, if one has been held.
    pub fn key(&self) -> Option<&K> {
        self.key.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_stays_selected_when_the_list_reorders() {
        let mut s: Selection<u32> = Selection::default();
        let rows = [10, 20, 30];
        s.move_by(&rows, 1, |r| *r);
        assert_eq!(s.get(&rows, |r| *r), Some(&20));
        // A new item sorts first: the selection follows 20 to its new row.
        let rows = [5, 10, 20, 30];
        assert_eq!(s.index(&rows, |r| *r), Some(2));
        // 20 leaves: the row it was on, within the list.
        let rows = [5, 10];
        assert_eq!(s.get(&rows, |r| *r), Some(&10));
        assert_eq!(s.index(&[] as &[u32], |r| *r), None);
    }

    #[test]
    fn moving_by_nothing_holds_the_first_row_until_moved() {
        let mut s: Selection<u32> = Selection::default();
        s.move_by(&[7, 8], 0, |r| *r);
        assert_eq!(s.get(&[1, 7, 8], |r| *r), Some(&7));
        s.move_by(&[1, 7, 8], -5, |r| *r);
        assert_eq!(s.key(), Some(&1));
        s.reset();
        assert_eq!(s.get(&[3, 1], |r| *r), Some(&3));
    }
}
