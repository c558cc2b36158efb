//! A slot that holds the latest value only: the sender never waits and never queues, the
//! receiver gets the newest (boards and log metrics are state, not events: an older one is
//! worth nothing once a newer exists, and a queue of large boards is memory).

use std::sync::Mutex;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct Latest<T> {
    slot: Mutex<Option<T>>,
    ready: Notify,
}

impl<T> Latest<T> {
    pub fn new() -> Self {
        Self {
            slot: Mutex::new(None),
            ready: Notify::new(),
        }
    }

    /// Replaces what was not taken yet.
    pub fn put(&self, v: T) {
        if let Ok(mut s) = self.slot.lock() {
            *s = Some(v);
        }
        self.ready.notify_one();
    }

    /// The value waiting, if any.
    pub fn take_now(&self) -> Option<T> {
        self.slot.lock().ok()?.take()
    }

    /// Waits for a value.
    pub async fn take(&self) -> T {
        loop {
            if let Some(v) = self.take_now() {
                return v;
            }
            self.ready.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_the_newest_is_taken() {
        let l = Latest::new();
        l.put(1);
        l.put(2);
        assert_eq!(l.take().await, 2);
        assert_eq!(l.take_now(), None);
        let l = std::sync::Arc::new(l);
        let waiter = tokio::spawn({
            let l = l.clone();
            async move { l.take().await }
        });
        tokio::task::yield_now().await;
        l.put(3);
        assert_eq!(waiter.await.ok(), Some(3));
    }
}
