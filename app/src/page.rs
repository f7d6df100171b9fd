//! Every page of the app, and the only place their addresses are spelled.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    SignIn,
}

impl Page {
    /// The address used in links.
    pub fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::SignIn => "/sign-in",
        }
    }

    /// The route segment the router matches.
    pub fn segment(self) -> &'static str {
        self.path().trim_start_matches('/')
    }
}
