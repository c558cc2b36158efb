use std::path::PathBuf;

fn xdg(var: &str, fallback: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `$XDG_CONFIG_HOME/montui/config.toml`.
pub fn config_file() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join("montui/config.toml")
}

/// `$XDG_DATA_HOME/montui/history.db`.
pub fn default_db() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join("montui/history.db")
}

/// `$XDG_DATA_HOME/montui/reports`: reports made on schedule (`[[reports]]`).
pub fn reports_dir() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join("montui/reports")
}

/// `$XDG_STATE_HOME/montui/montui.log`: montui's own log while it runs full-screen.
pub fn log_file() -> PathBuf {
    xdg("XDG_STATE_HOME", ".local/state").join("montui/montui.log")
}

/// `$XDG_CONFIG_HOME/montui/themes`: the user's own theme files (`NAME.toml`).
pub fn themes_dir() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join("montui/themes")
}
