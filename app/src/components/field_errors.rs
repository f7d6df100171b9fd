use crate::i18n::use_i18n;
use chengnuo_domain::messages::ValidationErrors;
use leptos::prelude::*;

/// The refusals of one field, beside it, in the person's language: the same
/// messages the server would give, from the same catalogue.
#[component]
pub fn FieldErrors(
    #[prop(into)] errors: Signal<ValidationErrors>,
    #[prop(into)] field: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            let field = field.get();
            errors.with(|errors| {
                errors
                    .for_field(&field)
                    .map(|message| view! { <p class="field-error" role="alert">{message.text(i18n.locale())}</p> })
                    .collect_view()
            })
        }}
    }
}
