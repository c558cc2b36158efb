use super::*;

fn choice(flag: Option<&str>, config: Option<&str>, no_color: bool, dir: &Path) -> Theme {
    resolve(&Choice {
        flag,
        config,
        no_color,
        depth: Depth::True,
        dir: dir.to_path_buf(),
    })
    .expect("a theme")
}

#[test]
fn every_built_in_theme_parses_and_dark_is_the_default() {
    for (name, text) in BUILT_IN {
        let t = parse(text, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_ne!(t.focus, t.border, "{name}: focus is told from the rest");
    }
    assert_eq!(
        parse(BUILT_IN[0].1, Path::new("dark")).ok(),
        Some(Theme::default())
    );
}

#[test]
fn monochrome_has_no_colour_and_marks_focus_and_selection_otherwise() {
    let t = parse(BUILT_IN[7].1, Path::new("monochrome")).expect("parses");
    let mut copy = t.clone();
    for s in copy.styles() {
        assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
    }
    assert!(t.focus.add_modifier.contains(Modifier::BOLD));
    assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
}

#[test]
fn the_flag_wins_then_no_color_then_the_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nord = parse(BUILT_IN[2].1, Path::new("n")).expect("nord");
    let mono = parse(BUILT_IN[7].1, Path::new("m")).expect("mono");
    let light = parse(BUILT_IN[1].1, Path::new("l")).expect("light");
    assert_eq!(choice(None, None, false, dir.path()), Theme::default());
    assert_eq!(choice(None, Some("nord"), false, dir.path()), nord);
    assert_eq!(choice(None, Some("nord"), true, dir.path()), mono);
    assert_eq!(choice(Some("light"), Some("nord"), true, dir.path()), light);
}

#[test]
fn a_users_theme_file_wins_over_a_built_in_of_its_name_and_a_path_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("nord.toml"), "bad = \"#010203\"\n").expect("write");
    let t = choice(None, Some("nord"), false, dir.path());
    assert_eq!(t.bad, Style::new().fg(Color::Rgb(1, 2, 3)));
    assert_eq!(
        t.ok,
        Theme::default().ok,
        "keys left out keep the dark theme's"
    );
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "selected = { fg = 244, underlined = true }\n").expect("write");
    let t = choice(path.to_str(), None, false, dir.path());
    assert_eq!(
        t.selected,
        Style::new()
            .fg(Color::Indexed(244))
            .add_modifier(Modifier::UNDERLINED)
    );
}

#[test]
fn a_bad_theme_names_file_line_key_and_value() {
    let e = parse(
        "border = \"red\"\nfocus = \"chartreuse-ish\"\n",
        Path::new("/t/x.toml"),
    )
    .expect_err("bad colour")
    .to_string();
    assert!(
        e.starts_with("theme error in /t/x.toml line 2: key `focus`, value `\"chartreuse-ish\"`"),
        "{e}"
    );
    let e = parse(
        "\n\nborder = { fg = \"red\", blink = true }\n",
        Path::new("x"),
    )
    .expect_err("unknown field")
    .to_string();
    assert!(e.contains("line 3") && e.contains("blink"), "{e}");
    let e = parse("colour = \"red\"\n", Path::new("x"))
        .expect_err("unknown key")
        .to_string();
    assert!(e.contains("key `colour`"), "{e}");
    let dir = tempfile::tempdir().expect("tempdir");
    let e = resolve(&Choice {
        flag: Some("neon"),
        config: None,
        no_color: false,
        depth: Depth::True,
        dir: dir.path().to_path_buf(),
    })
    .expect_err("unknown")
    .to_string();
    assert!(
        e.starts_with("--theme = \"neon\": no such theme; built in: dark, light"),
        "{e}"
    );
}

#[test]
fn colours_are_fitted_to_the_terminal() {
    let t = resolve(&Choice {
        flag: Some("nord"),
        config: None,
        no_color: false,
        depth: Depth::Basic,
        dir: PathBuf::from("/nonexistent"),
    })
    .expect("nord");
    assert_eq!(t.bad.fg, Some(Color::Red));
}
