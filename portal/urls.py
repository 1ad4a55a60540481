from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from aides import urls as aides_urls
from partenaires import views as partenaires_views

from . import views, views_securite
from .forms import ConnexionForm, NouveauMotDePasseForm, ReinitialisationForm
from .limites import echecs_connexion_limites, limite_requise

agents_urlpatterns = [
    path("", views.agents_tableau, name="tableau"),
]

urlpatterns = [
    path("", views.accueil, name="accueil"),
    # Browsers and tools that ask /favicon.ico get the SVG linked from every page.
    path("favicon.ico", views.favicon),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions-legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees-personnelles"),
    path("sante/", views.etat_sante, name="sante"),
    path("sante/pret/", views.etat_pret, name="sante-pret"),
    path("session/etat/", views.session_etat, name="session-etat"),
    path("documents/<uuid:pk>/etat/", views.document_etat, name="document-etat"),
    path(
        "connexion/",
        echecs_connexion_limites(views.Connexion.as_view(authentication_form=ConnexionForm)),
        name="connexion",
    ),
    path("connexion/second-facteur/", views_securite.verifier, name="second-facteur"),
    path("connexion/second-facteur/activer/", views_securite.activer, name="second-facteur-activer"),
    path("compte/securite/", views_securite.securite, name="compte-securite"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
    path("apres-connexion/", views.accueil_apres_connexion, name="accueil-apres-connexion"),
    path(
        "mot-de-passe/oublie/",
        limite_requise("mdp_oublie")(
            auth_views.PasswordResetView.as_view(
                form_class=ReinitialisationForm,
                template_name="registration/mdp_oublie.html",
                success_url=reverse_lazy("mdp-envoye"),
            )
        ),
        name="mdp-oublie",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/mdp_envoye.html"),
        name="mdp-envoye",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NouveauMotDePasseForm,
            template_name="registration/mdp_nouveau.html",
            success_url=reverse_lazy("mdp-change"),
        ),
        name="mdp-nouveau",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/mdp_change.html"),
        name="mdp-change",
    ),
    path("agents/", include((agents_urlpatterns, "agents"))),
    path("agents/territoires/", include("territoires.urls_agents")),
    path("agents/crm/", include("crm.urls_agents")),
    path("agents/saf/", include(aides_urls.saf)),
    path("agents/", include("pilotage.urls_agents")),
    path("agents/", include(aides_urls.agents)),
    path("agents/parcours/", include("parcours.urls_agents")),
    path("agents/formulaires/", include("formulaires.urls")),
    path("agents/instruction/", include(aides_urls.instruction)),
    path("agents/partenaires/", include("partenaires.urls_agents")),
    path("espace/", include("partenaires.urls_espace")),
    path("espace/", include(aides_urls.espace)),
    path("partenaires/", include("partenaires.urls")),
    path("trouver-mon-contact/", partenaires_views.trouver_contact, name="trouver-contact"),
    path("integration/", include("partenaires.urls_integration")),
    path("territoires/", include("territoires.urls")),
    path("", include(aides_urls.public)),
    path("", include("crm.urls")),
    path("", include("pilotage.urls")),
    path("parcours/", include("parcours.urls")),
    path("admin/", admin.site.urls),
]
