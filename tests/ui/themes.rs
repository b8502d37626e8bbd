//! opencode's themes (issue 19 §2): a snapshot of a small representative screen in each
//! built-in theme (every cell's colours), each drawn in its own colours only, and the
//! theme picker (`/themes`, Ctrl+X T): moving previews, Esc goes back, Enter keeps.

use crate::support::enter;
use crate::theme::rich_app;
use crossterm::event::KeyCode;
use ocw_tui::ui::testing::{ctrl, draw_app_buffer, key, styled_text};
use ocw_tui::ui::theme::{self, with_palette, with_theme, Palette, Source, Variant};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

/// Every colour on screen (foreground and background).
fn colours(buf: &Buffer) -> Vec<Color> {
    buf.content.iter().flat_map(|c| [c.fg, c.bg]).collect()
}

#[test]
fn a_snapshot_of_each_builtin_theme() {
    let builtins: Vec<String> = theme::list()
        .into_iter()
        .filter(|(_, s)| *s == Source::Builtin)
        .map(|(n, _)| n)
        .collect();
    assert_eq!(builtins.len(), theme::BUILTIN.len());
    assert!(builtins.len() >= 33, "{builtins:?}");
    for name in &builtins {
        let a = rich_app();
        let dark = with_theme(name, Variant::Dark, || draw_app_buffer(&a, 56, 18)).unwrap();
        let light = with_theme(name, Variant::Light, || draw_app_buffer(&a, 56, 18)).unwrap();
        // Drawn in the theme's own colours: none of the terminal's named ones (black
        // or white only as text on a bar of a theme without a background).
        for (variant, buf) in [("dark", &dark), ("light", &light)] {
            for c in colours(buf) {
                assert!(
                    matches!(
                        c,
                        Color::Rgb(..) | Color::Reset | Color::Black | Color::White
                    ),
                    "{name} {variant}: {c:?}"
                );
            }
        }
        insta::assert_snapshot!(
            format!("builtin_{name}"),
            format!(
                "dark:\n{}\nlight:\n{}",
                styled_text(&dark),
                styled_text(&light)
            )
        );
    }
}

/// A theme with a background paints every cell, popups (which clear their area) too;
/// the system theme leaves the terminal's own.
#[test]
fn a_themes_background_is_under_every_cell() {
    with_theme("gruvbox", Variant::Dark, || {
        let mut a = rich_app();
        enter(&mut a, "/themes");
        assert!(a.theme_picker_open());
        let buf = draw_app_buffer(&a, 60, 22);
        let bg = Color::Rgb(0x28, 0x28, 0x28);
        assert!(buf
            .content
            .iter()
            .all(|c| c.bg != Color::Reset && c.fg != Color::Reset));
        // Inside the picker (cleared, then painted) and around it.
        assert_eq!(buf[(0, 0)].bg, bg);
        let list = (0..22)
            .find(|&y| (0..60).any(|x| buf[(x, y)].symbol() == "╭"))
            .expect("the picker's frame");
        assert!(
            (0..60).any(|x| buf[(x, list + 1)].bg == bg),
            "inside the picker"
        );
    })
    .unwrap();
    with_palette(Palette::Dark, || {
        let buf = draw_app_buffer(&rich_app(), 60, 22);
        assert!(buf.content.iter().any(|c| c.bg == Color::Reset));
    });
}

/// The status bar's colours: they differ from theme to theme.
fn bar(buf: &Buffer) -> (Color, Color) {
    let y = buf.area.height - 1;
    let c = &buf[(1, y)];
    (c.fg, c.bg)
}

#[test]
fn the_picker_previews_esc_goes_back_enter_keeps() {
    with_palette(Palette::Dark, || {
        let mut a = rich_app();
        let before_buf = draw_app_buffer(&a, 60, 22);
        let before = styled_text(&before_buf);
        enter(&mut a, "/themes");
        assert!(a.theme_picker_open());
        let screen = ocw_tui::ui::testing::draw_app(&a, 60, 22);
        assert!(
            screen.contains("gruvbox") || screen.contains("system"),
            "{screen}"
        );
        // Typing filters; the selection is previewed at once.
        ocw_tui::ui::testing::type_text(&mut a, "gruvbox");
        assert_eq!(theme::current_name(), "gruvbox");
        let preview = draw_app_buffer(&a, 60, 22);
        assert_eq!(
            bar(&preview).1,
            Color::Rgb(0x3c, 0x38, 0x36),
            "gruvbox's panel"
        );
        // The transcript is repainted too (the user's bar, in gruvbox's primary).
        assert_eq!(before_buf[(0, 0)].symbol(), "▌");
        assert_eq!(preview[(0, 0)].fg, Color::Rgb(0x83, 0xa5, 0x98));
        // Esc: the old theme, the old screen.
        a.handle_key(key(KeyCode::Esc));
        assert!(!a.theme_picker_open());
        assert_eq!(theme::current_name(), "system");
        assert_eq!(styled_text(&draw_app_buffer(&a, 60, 22)), before);

        // Ctrl+X T opens it too; Down moves the preview; Enter keeps it.
        a.handle_key(ctrl('x'));
        a.handle_key(key(KeyCode::Char('t')));
        assert!(a.theme_picker_open());
        a.handle_key(key(KeyCode::Home));
        let first = theme::current_name();
        a.handle_key(key(KeyCode::Down));
        let second = theme::current_name();
        assert_ne!(first, second, "the preview follows the selection");
        a.handle_key(key(KeyCode::Enter));
        assert!(!a.theme_picker_open());
        assert_eq!(theme::current_name(), second);
        let kept = styled_text(&draw_app_buffer(&a, 60, 22));
        assert_ne!(kept, before, "the screen is in the chosen theme");
        assert!(kept.contains(&format!("theme: {second}")), "{kept}");
    });
}

#[test]
fn no_color_still_wins_in_the_picker() {
    with_palette(Palette::Mono, || {
        let mut a = rich_app();
        enter(&mut a, "/themes");
        ocw_tui::ui::testing::type_text(&mut a, "tokyonight");
        a.handle_key(key(KeyCode::Enter));
        assert_eq!(theme::current_name(), "tokyonight");
        let buf = draw_app_buffer(&a, 60, 22);
        assert!(colours(&buf).iter().all(|c| *c == Color::Reset));
        assert!(styled_text(&buf).contains("NO_COLOR"));
    });
}

#[test]
fn the_picker_lists_every_theme_with_where_it_comes_from() {
    with_palette(Palette::Dark, || {
        let mut a = rich_app();
        enter(&mut a, "/themes");
        let screen = ocw_tui::ui::testing::draw_app(&a, 70, 24);
        insta::assert_snapshot!("picker", screen);
        assert!(screen.contains("system") && screen.contains("the terminal's own colours"));
        assert!(screen.contains("● current"), "{screen}");
    });
}
