//! Theme choice: names, the system and mono looks, live switching, 256 colours.

use super::*;

#[test]
fn a_builtin_theme_colours_its_roles() {
    with_theme("opencode", Variant::Dark, || {
        // opencode's dark primary (darkStep9) and text (darkStep12).
        assert_eq!(user_bar().fg, Some(Color::Rgb(0xfa, 0xb2, 0x83)));
        assert_eq!(base().fg, Some(Color::Rgb(0xee, 0xee, 0xee)));
        assert_eq!(current_name(), "opencode");
        assert_eq!(palette(), Palette::Dark);
    })
    .unwrap();
    with_theme("opencode", Variant::Light, || {
        assert_eq!(user_bar().fg, Some(Color::Rgb(0x3b, 0x7d, 0xd8)));
        assert_eq!(palette(), Palette::Light);
    })
    .unwrap();
}

#[test]
fn the_system_theme_is_the_terminals_named_colours() {
    with_palette(Palette::Dark, || {
        assert_eq!(current_name(), SYSTEM);
        assert_eq!(user_bar().fg, Some(Color::Cyan));
        assert!(matches!(syntax_kind(), Syntax::Syntect(Variant::Dark)));
    });
    with_palette(Palette::Mono, || {
        assert_eq!(user_bar(), Style::default());
        assert_eq!(
            selected(),
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        );
        assert_eq!(syntax_kind(), Syntax::None);
        assert_eq!(agent_color("primary"), None);
    });
}

#[test]
fn select_switches_live_on_the_same_background_and_mono_wins() {
    with_palette(Palette::Light, || {
        select("gruvbox").unwrap();
        assert_eq!(current_name(), "gruvbox");
        assert_eq!(palette(), Palette::Light, "the background stays");
        select("dark").unwrap();
        assert_eq!((current_name(), palette()), (SYSTEM, Palette::Dark));
    });
    with_palette(Palette::Mono, || {
        select("tokyonight").unwrap();
        assert_eq!(current_name(), "tokyonight");
        assert_eq!(base(), Style::default(), "NO_COLOR still wins");
    });
}

#[test]
fn an_unknown_name_lists_the_themes() {
    let e = with_palette(Palette::Dark, || select("no-such-theme")).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("\"no-such-theme\""), "{msg}");
    for n in ["opencode", "gruvbox", "system", "tokyonight"] {
        assert!(msg.contains(n), "{msg}");
    }
    with_palette(Palette::Dark, || {
        assert_eq!(current_name(), SYSTEM, "unchanged")
    });
}

#[test]
fn rgb_to_the_nearest_of_256() {
    assert_eq!(to_256(Color::Rgb(0, 0, 0)), Color::Indexed(16));
    assert_eq!(to_256(Color::Rgb(255, 255, 255)), Color::Indexed(231));
    assert_eq!(to_256(Color::Rgb(0xfa, 0xb2, 0x83)), Color::Indexed(216));
    assert_eq!(to_256(Color::Rgb(0x28, 0x28, 0x28)), Color::Indexed(235));
    assert_eq!(to_256(Color::Cyan), Color::Cyan);
    assert_eq!(to_256(Color::Indexed(4)), Color::Indexed(4));
}

/// A figure, not an assertion: what one role lookup costs (it runs per styled span).
#[test]
fn role_lookup_cost() {
    let n = 1_000_000;
    let t = std::time::Instant::now();
    let mut x = 0usize;
    for _ in 0..n {
        x += usize::from(dim().fg.is_some());
    }
    let per = t.elapsed().as_nanos() / n as u128;
    println!("theme::dim(): {per} ns per call ({x})");
}
