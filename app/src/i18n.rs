//! The interface's language: Chinese by default, English when the browser
//! prefers it (`navigator.languages`) or the person chooses it; the choice is
//! remembered in browser storage. Texts of domain rules (validation messages)
//! come from `chengnuo_domain::messages`, shared with the server.

use chengnuo_domain::Locale;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

const STORAGE_KEY: &str = "chengnuo.locale";

#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    pub fn choose(&self, locale: Locale) {
        // Not remembering the choice (storage disabled) still switches this visit.
        let _ = LocalStorage::set(STORAGE_KEY, locale);
        self.locale.set(locale);
    }

    pub fn text(&self, text: Text) -> &'static str {
        text.in_locale(self.locale.get())
    }
}

pub fn provide_i18n() -> I18n {
    let initial = LocalStorage::get::<Locale>(STORAGE_KEY).unwrap_or_else(|_| browser_preference());
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let locale = i18n.locale();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", locale.tag());
            }
            document.set_title(Text::AppTitle.in_locale(locale));
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn browser_preference() -> Locale {
    let Some(window) = web_sys::window() else {
        return Locale::default();
    };
    let tags: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    Locale::from_preferences(tags.iter().map(String::as_str))
}

macro_rules! texts {
    ($($name:ident => $zh:literal, $en:literal;)*) => {
        /// Every text of the interface, in both languages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text { $($name,)* }

        impl Text {
            pub fn in_locale(self, locale: Locale) -> &'static str {
                match (self, locale) {
                    $((Text::$name, Locale::Zh) => $zh, (Text::$name, Locale::En) => $en,)*
                }
            }
        }
    };
}

texts! {
    AppName => "承诺", "Chengnuo";
    AppTitle => "承诺 · 公开承诺与考核评议", "Chengnuo · Public commitments and assessment";
    MainContent => "主要内容", "Main content";
    Navigation => "主导航", "Main navigation";
    SignIn => "登录", "Sign in";
    Language => "语言", "Language";
    HomeHeading => "公开承诺与考核评议", "Public commitments and assessment";
    HomeIntro => "基层党组织和党员在这里起草公开承诺书、审核、签署、公示，逐项践诺销号，并接受领导点评、群众评议和组织考核。没有网络时也能起草，联网后自动同步。",
        "Party organizations and members draft their public commitments here, have them reviewed, sign and publish them, fulfil them item by item, and are assessed by leaders, by the masses and by the organization. Drafting works without a network; everything syncs when you are back online.";
    StepsHeading => "工作步骤", "The steps";
    StepDraft => "调研起草承诺", "Consult and draft";
    StepReview => "组织审核", "Review by the parent unit";
    StepSign => "书面签署", "Sign the approved text";
    StepPublish => "公开公示（不少于7天）", "Publish (at least 7 days)";
    StepReport => "报送上级", "Report upward";
    StepFulfil => "践诺销号", "Fulfil and cross off";
    StepEvaluate => "考核评议", "Assess and grade";
    StepRectify => "限期整改", "Rectify what is left";
    SignInHeading => "登录", "Sign in";
    Login => "账号", "Account";
    Password => "密码", "Password";
    SignInButton => "登录", "Sign in";
    SignInHint => "首次登录需要联网；之后没有网络也能使用。", "The first sign-in needs a network; afterwards the app works offline too.";
    NotFoundHeading => "页面不存在", "Page not found";
    NotFoundBody => "您要找的页面不存在或已移动。", "The page you are looking for does not exist or has moved.";
    BackHome => "返回首页", "Back to the home page";
}
