//! Theme files (TOML, keys in themes/README.md): the built-in ones (the `themes/` directory,
//! compiled in), the user's in `$XDG_CONFIG_HOME/montui/themes/`, or any path; and which one
//! applies (`resolve`). A bad file is an error naming its file, line, key and value, as config
//! errors do.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::{Depth, Theme};
use crate::config::ConfigError;

/// The built-in themes, by name.
pub const BUILT_IN: [(&str, &str); 8] = [
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    ("nord", include_str!("../../../themes/nord.toml")),
    ("gruvbox", include_str!("../../../themes/gruvbox.toml")),
    ("dracula", include_str!("../../../themes/dracula.toml")),
    ("solarized", include_str!("../../../themes/solarized.toml")),
    ("basic", include_str!("../../../themes/basic.toml")),
    (
        "monochrome",
        include_str!("../../../themes/monochrome.toml"),
    ),
];

/// What decides the theme.
#[derive(Debug, Clone)]
pub struct Choice<'a> {
    /// `--theme`: wins over everything.
    pub flag: Option<&'a str>,
    /// `[ui] theme`.
    pub config: Option<&'a str>,
    /// `NO_COLOR` is set: monochrome unless `--theme` says otherwise.
    pub no_color: bool,
    pub depth: Depth,
    /// The user's theme files.
    pub dir: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(transparent)]
    File(#[from] ConfigError),
    #[error(
        "{from} = \"{name}\": no such theme; built in: {}; or NAME.toml in {}, or a path",
        BUILT_IN.map(|(n, _)| n).join(", "),
        dir.display()
    )]
    Unknown {
        from: &'static str,
        name: String,
        dir: PathBuf,
    },
}

/// The theme `choice` names, fitted to the terminal's colours.
pub fn resolve(choice: &Choice) -> Result<Theme, ThemeError> {
    let (from, name) = match (choice.flag, choice.config) {
        (Some(n), _) => ("--theme", n),
        _ if choice.no_color => ("NO_COLOR", "monochrome"),
        (None, Some(n)) => ("[ui] theme", n),
        (None, None) => ("default", "dark"),
    };
    let own = choice.dir.join(format!("{name}.toml"));
    let path = if name.contains('/') || name.ends_with(".toml") {
        Some(PathBuf::from(name))
    } else {
        own.is_file().then_some(own)
    };
    let theme =
        match path {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                parse(&text, &path)?
            }
            None => {
                let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                    ThemeError::Unknown {
                        from,
                        name: name.to_string(),
                        dir: choice.dir.clone(),
                    }
                })?;
                parse(text, Path::new(&format!("themes/{name}.toml")))?
            }
        };
    Ok(theme.fitted(choice.depth))
}

/// A theme file's text: the default theme with the styles it sets.
pub fn parse(text: &str, path: &Path) -> Result<Theme, ConfigError> {
    let f: ThemeFile =
        toml::from_str(text).map_err(|e| ConfigError::from_toml_in("theme", &e, text, path))?;
    let mut t = Theme::default();
    let set = [
        (&mut t.base, f.base),
        (&mut t.border, f.border),
        (&mut t.focus, f.focus),
        (&mut t.title, f.title),
        (&mut t.dim, f.dim),
        (&mut t.status, f.status),
        (&mut t.cpu, f.cpu),
        (&mut t.mem, f.mem),
        (&mut t.swap, f.swap),
        (&mut t.load, f.load),
        (&mut t.rx, f.rx),
        (&mut t.tx, f.tx),
        (&mut t.read, f.read),
        (&mut t.write, f.write),
        (&mut t.ok, f.ok),
        (&mut t.warn, f.warn),
        (&mut t.bad, f.bad),
        (&mut t.selected, f.selected),
    ];
    for (style, spec) in set {
        if let Some(Spec(s)) = spec {
            *style = s;
        }
    }
    Ok(t)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    base: Option<Spec>,
    border: Option<Spec>,
    focus: Option<Spec>,
    title: Option<Spec>,
    dim: Option<Spec>,
    status: Option<Spec>,
    cpu: Option<Spec>,
    mem: Option<Spec>,
    swap: Option<Spec>,
    load: Option<Spec>,
    rx: Option<Spec>,
    tx: Option<Spec>,
    read: Option<Spec>,
    write: Option<Spec>,
    ok: Option<Spec>,
    warn: Option<Spec>,
    bad: Option<Spec>,
    selected: Option<Spec>,
}

/// A style as written: a colour (the foreground), or a table.
#[derive(Debug)]
struct Spec(Style);

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    fg: Option<Colour>,
    bg: Option<Colour>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
}

impl Table {
    fn style(&self) -> Style {
        let mut s = Style::new();
        if let Some(Colour(c)) = self.fg {
            s = s.fg(c);
        }
        if let Some(Colour(c)) = self.bg {
            s = s.bg(c);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
        ] {
            if on {
                s = s.add_modifier(m);
            }
        }
        s
    }
}

const COLOUR: &str = "a colour: a name (red, lightblue, darkgray, reset), #rrggbb or 0–255";

#[derive(Debug, Clone, Copy)]
struct Colour(Color);

impl<'de> Deserialize<'de> for Colour {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Colour;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(COLOUR)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Colour, E> {
                Color::from_str(v)
                    .map(Colour)
                    .map_err(|_| E::custom(format!("not {COLOUR}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Colour, E> {
                u8::try_from(v)
                    .map(|i| Colour(Color::Indexed(i)))
                    .map_err(|_| E::custom(format!("not {COLOUR}")))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Spec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Spec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "{COLOUR}, or a table of fg, bg, bold, dim, italic, underlined, reversed"
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Spec, E> {
                let Colour(c) = Colour::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(Spec(Style::new().fg(c)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Spec, E> {
                let Colour(c) = Colour::deserialize(de::value::I64Deserializer::<E>::new(v))?;
                Ok(Spec(Style::new().fg(c)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Spec, A::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Spec(t.style()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests;
