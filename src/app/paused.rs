//! Pause is replay of the recording: while paused, the alert list, log patterns and
//! anomalies are the recording's at the sample on screen, and what the engine sends
//! meanwhile waits here until the view is live again.

use super::state::{Mode, State};
use crate::alert::board::Board;
use crate::detect::AnomalyBoard;
use crate::logs::patterns::LogBoard;

/// The live boards, kept while the view browses the recording.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveBoards {
    board: Option<Board>,
    logs: Option<LogBoard>,
    anomalies: Option<AnomalyBoard>,
    /// Whether the boards above were taken (so a second pause does not take recorded ones).
    held: bool,
}

impl State {
    /// The boards of the recording at the sample shown, kept the live ones first.
    pub(super) fn show_recorded_boards(
        &mut self,
        board: Board,
        logs: Option<LogBoard>,
        anomalies: AnomalyBoard,
    ) {
        if self.mode == Mode::Paused && !self.paused.held {
            self.paused = LiveBoards {
                board: Some(std::mem::take(&mut self.board)),
                logs: self.logs.take(),
                anomalies: Some(std::mem::take(&mut self.anomalies)),
                held: true,
            };
        }
        self.board = board;
        // A recording with no log patterns while logs are followed: an empty list.
        self.logs = logs.or_else(|| self.paused.logs.as_ref().map(|_| LogBoard::default()));
        self.anomalies = anomalies;
    }

    /// Back to live: the boards the engine sent last.
    pub(super) fn resume_boards(&mut self) {
        let live = std::mem::take(&mut self.paused);
        if live.held {
            self.board = live.board.unwrap_or_default();
            self.logs = live.logs;
            self.anomalies = live.anomalies.unwrap_or_default();
        }
    }

    /// The engine's alert list: shown, or kept while paused.
    pub fn engine_alerts(&mut self, board: Board) {
        if self.paused.held {
            self.paused.board = Some(board);
        } else {
            self.board = board;
        }
    }

    /// The engine's log patterns: shown, or kept while paused.
    pub fn engine_logs(&mut self, logs: LogBoard) {
        if self.paused.held {
            self.paused.logs = Some(logs);
        } else {
            self.logs = Some(logs);
        }
    }

    /// The engine's anomalies: shown, or kept while paused.
    pub fn engine_anomalies(&mut self, anomalies: AnomalyBoard) {
        if self.paused.held {
            self.paused.anomalies = Some(anomalies);
        } else {
            self.anomalies = anomalies;
        }
    }
}
