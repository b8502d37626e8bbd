//! The theme in use: chosen at start-up (`init`), switched live (`select`), read per role
//! through a thread-local view checked against a generation counter (a role lookup is a
//! thread-local read and one atomic load). Each theme is resolved once per background and
//! kept for the run. Tests override it per thread (`with_palette`, `with_theme`).

use super::catalog::{Source, SYSTEM};
use super::format::Variant;
use super::roles::Roles;
use ratatui::style::Color;
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

/// The three looks tests name: the system theme on a dark or light background, or mono.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    Dark,
    Light,
    /// No colour (`NO_COLOR`): attributes only.
    Mono,
}

/// A theme resolved for one background: its name and its roles.
#[derive(Debug)]
pub struct Active {
    pub name: String,
    pub roles: Roles,
    /// Unique to this resolution: caches of drawn lines key on it ([`id`]).
    pub id: usize,
}

/// The theme in use (`None`: not chosen yet, the system theme on a dark background).
static CURRENT: RwLock<Option<&'static Active>> = RwLock::new(None);
/// Whether the terminal shows 24-bit colour (else RGB colours go out as the nearest of
/// the 256-colour palette).
static TRUECOLOR: AtomicBool = AtomicBool::new(true);
/// The themes that exist (built-ins until `init` reads the custom ones).
static CATALOG: RwLock<Option<super::catalog::Catalog>> = RwLock::new(None);
/// Every theme resolved so far (each built once, kept for the run: the picker's preview
/// moves through them).
static RESOLVED: Mutex<Vec<&'static Active>> = Mutex::new(Vec::new());
/// Start-up warnings (custom theme files skipped) for the UI to show once.
static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Bumped at every switch: each thread keeps the theme it last read with the generation
/// it read it at, so a role lookup is a thread-local read and one atomic load.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// This thread's view: a test's override (`with_palette`), else the process's theme as
/// last read (with its generation).
#[derive(Clone, Copy)]
struct Local {
    over: Option<&'static Active>,
    seen: Option<(u64, &'static Active)>,
}

thread_local! {
    static LOCAL: Cell<Local> = const { Cell::new(Local { over: None, seen: None }) };
}

/// The resolved roles of the theme in use (this thread's override, else the process's).
pub fn roles() -> &'static Roles {
    &active().roles
}

/// The theme in use.
pub fn active() -> &'static Active {
    let l = LOCAL.with(Cell::get);
    if let Some(a) = l.over {
        return a;
    }
    let generation = GENERATION.load(Ordering::Acquire);
    if let Some((g, a)) = l.seen {
        if g == generation {
            return a;
        }
    }
    let a = current_slow();
    LOCAL.with(|c| {
        c.set(Local {
            seen: Some((generation, a)),
            ..c.get()
        })
    });
    a
}

fn current_slow() -> &'static Active {
    if let Some(a) = *CURRENT.read().unwrap_or_else(|e| e.into_inner()) {
        return a;
    }
    let mut cur = CURRENT.write().unwrap_or_else(|e| e.into_inner());
    cur.get_or_insert_with(|| resolved(SYSTEM, Variant::Dark, false).unwrap_or_else(fallback))
}

/// Makes `a` the process's theme.
fn set_current(a: &'static Active) {
    *CURRENT.write().unwrap_or_else(|e| e.into_inner()) = Some(a);
    GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// The system theme, dark (what draws when a theme cannot be built).
fn fallback(_: UnknownTheme) -> &'static Active {
    intern(SYSTEM, Variant::Dark, false, || {
        super::roles::system(Variant::Dark)
    })
}

/// The theme in use, as a number that changes with it (a cache of coloured lines keys
/// on it, so a switch repaints everything).
pub fn id() -> usize {
    active().id
}

/// The palette in use, for code that only tells dark, light and mono apart.
pub fn palette() -> Palette {
    let r = roles();
    match (r.mono, r.variant) {
        (true, _) => Palette::Mono,
        (false, Variant::Light) => Palette::Light,
        (false, Variant::Dark) => Palette::Dark,
    }
}

/// Runs `f` with palette `p` (the system theme, or mono) on this thread.
pub fn with_palette<R>(p: Palette, f: impl FnOnce() -> R) -> R {
    let a = match p {
        Palette::Dark => resolved(SYSTEM, Variant::Dark, false),
        Palette::Light => resolved(SYSTEM, Variant::Light, false),
        Palette::Mono => resolved(SYSTEM, Variant::Dark, true),
    };
    with_active(a.unwrap_or_else(fallback), f)
}

/// Runs `f` with theme `name` on a `variant` background on this thread.
pub fn with_theme<R>(
    name: &str,
    variant: Variant,
    f: impl FnOnce() -> R,
) -> Result<R, UnknownTheme> {
    Ok(with_active(resolved(name, variant, false)?, f))
}

fn with_active<R>(a: &'static Active, f: impl FnOnce() -> R) -> R {
    let before = LOCAL.with(|c| {
        let l = c.get();
        c.set(Local { over: Some(a), ..l });
        l.over
    });
    let r = f();
    LOCAL.with(|c| {
        c.set(Local {
            over: before,
            ..c.get()
        })
    });
    r
}

/// A theme name that does not exist; says which do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTheme {
    pub name: String,
    pub known: Vec<String>,
}

impl std::fmt::Display for UnknownTheme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown theme {:?}; the themes are: {} (and auto, dark, light; custom themes are \
             read from ~/.config/opencode/themes/*.json and .opencode/themes/*.json)",
            crate::safe_text::one_line(&self.name),
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownTheme {}

/// The names of every theme, sorted, with where each comes from.
pub fn list() -> Vec<(String, Source)> {
    with_catalog(|c| {
        c.entries
            .iter()
            .map(|e| (e.name.clone(), e.source.clone()))
            .collect()
    })
}

fn with_catalog<R>(f: impl FnOnce(&super::catalog::Catalog) -> R) -> R {
    {
        let g = CATALOG.read().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = g.as_ref() {
            return f(c);
        }
    }
    let mut g = CATALOG.write().unwrap_or_else(|e| e.into_inner());
    f(g.get_or_insert_with(super::catalog::Catalog::builtin))
}

/// Theme `name` resolved for `variant` (mono: `NO_COLOR`), built once.
fn resolved(name: &str, variant: Variant, mono: bool) -> Result<&'static Active, UnknownTheme> {
    {
        let done = RESOLVED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = done
            .iter()
            .find(|a| a.name == name && a.roles.variant == variant && a.roles.mono == mono)
        {
            return Ok(a);
        }
    }
    let built = with_catalog(|c| {
        let Some(e) = c.get(name) else {
            return Err(UnknownTheme {
                name: name.to_string(),
                known: c.names(),
            });
        };
        Ok(match (&e.file, mono) {
            (_, true) => super::roles::Roles {
                variant,
                ..super::roles::mono()
            },
            (None, false) => super::roles::system(variant),
            (Some(f), false) => match f.resolve(variant) {
                Ok(r) => super::opencode::roles(&r, variant),
                // Checked when read; a theme that cannot resolve draws as system.
                Err(_) => super::roles::system(variant),
            },
        })
    })?;
    let truecolor = TRUECOLOR.load(Ordering::Relaxed);
    Ok(intern(name, variant, mono, || {
        if truecolor {
            built
        } else {
            built.map_colors(to_256)
        }
    }))
}

fn intern(
    name: &str,
    variant: Variant,
    mono: bool,
    build: impl FnOnce() -> Roles,
) -> &'static Active {
    let mut done = RESOLVED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(a) = done
        .iter()
        .find(|a| a.name == name && a.roles.variant == variant && a.roles.mono == mono)
    {
        return a;
    }
    static IDS: AtomicUsize = AtomicUsize::new(1);
    let a: &'static Active = Box::leak(Box::new(Active {
        name: name.to_string(),
        roles: build(),
        id: IDS.fetch_add(1, Ordering::Relaxed),
    }));
    done.push(a);
    a
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org says).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether the terminal says it shows 24-bit colour: `COLORTERM=truecolor` (or `24bit`),
/// or a `TERM` ending in `-direct`. Without it, RGB colours go out as the nearest colour
/// of the 256-colour palette (`export COLORTERM=truecolor` where it is lost, over ssh).
pub fn truecolor_env() -> bool {
    let colorterm = std::env::var("COLORTERM").unwrap_or_default();
    matches!(colorterm.as_str(), "truecolor" | "24bit")
        || std::env::var("TERM").is_ok_and(|t| t.ends_with("-direct"))
}

/// Picks the theme at start-up. `choice` (`--theme`, else tui.json's `theme`): a theme
/// name, `system`, or `auto` (the default: `system`), `dark` / `light` (`system` for that
/// background, without asking the terminal). The custom themes are read here (those of
/// `project` and above it, and the global ones; a bad file is a warning, see
/// [`take_warnings`]). The terminal's background (`background::detect`, dark when unknown)
/// picks each theme's dark or light variant; `NO_COLOR` wins over everything (mono). Call it
/// before the terminal enters raw mode / the alternate screen. An unknown name is an error
/// that lists the themes.
pub fn init(choice: Option<&str>, project: &Path) -> Result<Palette, UnknownTheme> {
    let dirs = super::catalog::custom_dirs(project, super::catalog::config_home().as_deref());
    let cat = super::catalog::Catalog::load(&dirs);
    *WARNINGS.lock().unwrap_or_else(|e| e.into_inner()) = cat.warnings.clone();
    *CATALOG.write().unwrap_or_else(|e| e.into_inner()) = Some(cat);
    TRUECOLOR.store(truecolor_env(), Ordering::Relaxed);
    // Built before the colour depth was known.
    RESOLVED.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let name = choice.unwrap_or("auto");
    let (name, fixed) = builtin_alias(name);
    if with_catalog(|c| c.get(name).is_none()) {
        return Err(UnknownTheme {
            name: name.to_string(),
            known: with_catalog(|c| c.names()),
        });
    }
    let mono = no_color_env();
    let variant = match (fixed, mono) {
        (Some(v), _) => v,
        (None, true) => Variant::Dark,
        (None, false) => match crate::ui::runtime::background::detect() {
            Some(crate::ui::runtime::background::Background::Light) => Variant::Light,
            _ => Variant::Dark,
        },
    };
    let a = resolved(name, variant, mono)?;
    set_current(a);
    Ok(palette_of(a))
}

/// `auto`, `dark`, `light` (the `--theme` values of old) are the system theme, the last
/// two for a fixed background.
fn builtin_alias(name: &str) -> (&str, Option<Variant>) {
    match name {
        "auto" => (SYSTEM, None),
        "dark" => (SYSTEM, Some(Variant::Dark)),
        "light" => (SYSTEM, Some(Variant::Light)),
        n => (n, None),
    }
}

fn palette_of(a: &Active) -> Palette {
    match (a.roles.mono, a.roles.variant) {
        (true, _) => Palette::Mono,
        (false, Variant::Light) => Palette::Light,
        (false, Variant::Dark) => Palette::Dark,
    }
}

/// Switches to theme `name` (any name [`list`] gives, or `auto` / `dark` / `light`), on
/// the background in use and with `NO_COLOR` still winning. The theme picker and
/// tui.json's `theme` call it; nothing is written anywhere. On a thread inside
/// [`with_palette`] / [`with_theme`] (tests) the switch stays on that thread.
pub fn select(name: &str) -> Result<(), UnknownTheme> {
    let cur = active();
    let (name, fixed) = builtin_alias(name);
    let a = resolved(name, fixed.unwrap_or(cur.roles.variant), cur.roles.mono)?;
    let local = LOCAL.with(|c| {
        let l = c.get();
        l.over.is_some() && {
            c.set(Local { over: Some(a), ..l });
            true
        }
    });
    if !local {
        set_current(a);
    }
    Ok(())
}

/// Theme `name`'s main colour (its `primary`) on the background in use, for a swatch;
/// none in mono.
pub fn swatch(name: &str) -> Option<Color> {
    let cur = active();
    let a = resolved(name, cur.roles.variant, cur.roles.mono).ok()?;
    a.roles.user_bar.fg
}

/// The name of the theme in use.
pub fn current_name() -> &'static str {
    &active().name
}

/// The warnings of start-up (custom theme files skipped).
pub fn warnings() -> Vec<String> {
    WARNINGS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// One more warning of start-up (said with the others).
pub fn warn(text: String) {
    WARNINGS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(text);
}

/// The warnings of start-up (custom theme files skipped), once.
pub fn take_warnings() -> Vec<String> {
    std::mem::take(&mut *WARNINGS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The nearest colour of the 256-colour palette's cube and grey ramp (indices 16 to 255:
/// the first 16 are the user's own and could be anything).
pub fn to_256(c: Color) -> Color {
    let Color::Rgb(r, g, b) = c else {
        return c;
    };
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let near = |v: u8| {
        (0..6)
            .min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (near(r), near(g), near(b));
    let dist = |(x, y, z): (u8, u8, u8)| {
        let d = |p: u8, q: u8| (i32::from(p) - i32::from(q)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let gi_ = (avg.saturating_sub(3) / 10).min(23) as u8;
    let grey = 8 + 10 * gi_;
    if dist((grey, grey, grey)) < dist(cube) {
        Color::Indexed(232 + gi_)
    } else {
        Color::Indexed(16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8)
    }
}

/// Whether RGB colours go out as they are (else as their nearest 256-colour index).
pub fn truecolor() -> bool {
    TRUECOLOR.load(Ordering::Relaxed)
}
