"""The questions a generated export is made of, written as the seed questionnaires word them.

Sources: the thesis' questionnaire (*Freins à l'utilisation de la télé-expertise*, Annexe 1), the URPS
Centre-Val de Loire survey of digital tools (frequency grid of MSS/INS/DMP/booking, « Mail personnel, SMS ou
WhatsApp », coordination judged from « très satisfaisante » to « très insatisfaisante »), the PulseLife
barometer (tools used, use in front of patients, impact, patients' interest), the « 100 000 Médecins »
evaluation of medical software, and English questionnaires of the same kind. Every list of answers is
written in the order the form shows it; an ordered scale is written from its low (negative, rare) end to its
high end, its non-substantive answers (« Ne sait pas »…) last.
"""
from __future__ import annotations

# ------------------------------------------------------------------------------------- answer scales
# (vocabulary, language, levels from low to high, non-substantive levels that may follow)

SCALES = {
    "freq_fr_5": ("frequency", "fr", ["Jamais", "Rarement", "Plusieurs fois par mois", "Plusieurs fois par semaine",
                                      "Quotidiennement"], ["Je ne connais pas cet outil"]),
    "freq_fr_6": ("frequency", "fr", ["Jamais", "Moins d'une fois par mois", "Une fois par mois", "Une fois par semaine",
                                      "Plusieurs fois par semaine", "Tous les jours"], ["Ne sait pas"]),
    "freq_fr_vague": ("frequency", "fr", ["Jamais", "Rarement", "Parfois", "Souvent", "Toujours"], ["Ne se prononce pas"]),
    "freq_fr_day": ("frequency", "fr", ["Moins d'une fois par semaine", "Une fois par semaine", "Une fois par jour",
                                        "Plusieurs fois par jour"], []),
    "freq_en_5": ("frequency", "en", ["Never", "Rarely", "Sometimes", "Often", "Always"], ["Don't know"]),
    "freq_en_unit": ("frequency", "en", ["Never", "Less than once a month", "Monthly", "Weekly", "Daily"],
                     ["I don't know this tool"]),
    "agree_fr_5": ("agreement", "fr", ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord",
                                       "Plutôt d'accord", "Tout à fait d'accord"], ["Ne se prononce pas"]),
    "agree_fr_4": ("agreement", "fr", ["Pas du tout d'accord", "Plutôt pas d'accord", "Plutôt d'accord",
                                       "Tout à fait d'accord"], ["Ne sait pas"]),
    "agree_en_5": ("agreement", "en", ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                                       "Strongly agree"], ["Don't know"]),
    "satis_fr_4": ("satisfaction", "fr", ["Très insatisfaisante", "Plutôt insatisfaisante", "Plutôt satisfaisante",
                                          "Très satisfaisante"], ["Ne se prononce pas"]),
    "satis_fr_5": ("satisfaction", "fr", ["Pas du tout satisfait", "Peu satisfait", "Moyennement satisfait", "Satisfait",
                                          "Très satisfait"], ["Ne sait pas"]),
    "satis_en_5": ("satisfaction", "en", ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                                          "Very satisfied"], ["Not applicable"]),
    "impact_fr_5": ("intensity", "fr", ["Très négatif", "Plutôt négatif", "Neutre", "Plutôt positif", "Très positif"],
                    ["Ne sait pas"]),
    "interest_fr_4": ("intensity", "fr", ["Pas du tout intéressés", "Peu intéressés", "Assez intéressés",
                                          "Très intéressés"], ["Ne sait pas"]),
    "ouinon_fr_4": ("intensity", "fr", ["Non, pas du tout", "Non, plutôt pas", "Oui, plutôt", "Oui, tout à fait"],
                    ["Ne se prononce pas"]),
    "intens_en_5": ("intensity", "en", ["Not at all", "Slightly", "Moderately", "Very", "Extremely"],
                    ["Prefer not to say"]),
    "yesno_fr": ("yes/no", "fr", ["Oui", "Non"], ["Ne sait pas"]),
    "yesno_en": ("yes/no", "en", ["Yes", "No"], ["Don't know"]),
}

# Questions answered on one of the scales above (header, scale keys that fit it).
SCALE_QUESTIONS = {
    "fr": [
        ("À quelle fréquence utilisez-vous la téléconsultation ?", ["freq_fr_5", "freq_fr_6", "freq_fr_vague"]),
        ("Fréquence d'utilisation de la télé-expertise ?", ["freq_fr_6", "freq_fr_5"]),
        ("À quelle fréquence utilisez-vous des outils numériques dans votre pratique ?", ["freq_fr_day", "freq_fr_6"]),
        ("Utilisez-vous ces outils devant vos patients ?", ["freq_fr_vague"]),
        ("Le numérique a réduit ma charge administrative.", ["agree_fr_5", "agree_fr_4"]),
        ("La télé-expertise améliore la prise en charge de mes patients.", ["agree_fr_5", "agree_fr_4"]),
        ("Je me sens à l'aise avec les outils numériques.", ["agree_fr_4", "agree_fr_5"]),
        ("Comment jugez-vous la coordination entre professionnels de santé de ville sur votre territoire ?",
         ["satis_fr_4"]),
        ("Comment jugez-vous la coordination avec les établissements de santé ?", ["satis_fr_4"]),
        ("Êtes-vous satisfait de votre logiciel métier ?", ["satis_fr_5"]),
        ("Quel impact ces outils ont-ils sur la qualité des soins ?", ["impact_fr_5"]),
        ("Vos patients sont-ils intéressés par ces technologies ?", ["interest_fr_4"]),
        ("Recommanderiez-vous la télé-expertise à un confrère ?", ["ouinon_fr_4"]),
    ],
    "en": [
        ("How often do you use teleconsultation?", ["freq_en_5", "freq_en_unit"]),
        ("How often do you use digital tools in front of your patients?", ["freq_en_5"]),
        ("Digital tools have reduced my administrative workload.", ["agree_en_5"]),
        ("Tele-expertise improves the care of my patients.", ["agree_en_5"]),
        ("How satisfied are you with your practice management software?", ["satis_en_5"]),
        ("How concerned are you about data security?", ["intens_en_5"]),
    ],
}

YES_NO_QUESTIONS = {
    "fr": ["Activité universitaire", "Rôle actif au sein de la CPTS", "Connaissez-vous la télé-expertise ?",
           "Utilisez-vous des outils numériques dans votre pratique ?", "Êtes-vous maître de stage universitaire ?",
           "Disposez-vous d'une messagerie sécurisée de santé ?"],
    "en": ["Do you use digital tools in your practice?", "Are you a university teacher?",
           "Do you have a secure health messaging account?"],
}

# The question that opens a branch, the answer that opens it, and what is asked then.
GATES = {
    "fr": ("Pratiquez-vous la télé-expertise ?", "Oui"),
    "en": ("Do you practise tele-expertise?", "Yes"),
}

# ----------------------------------------------------------------------------- single choice, nominal
# (header, options in form order, whether the form offers « Autre »). Some options hold commas.

NOMINAL = {
    "fr": [
        ("Êtes-vous médecin généraliste :", ["Libéral", "Salarié", "Remplaçant", "En structure hospitalière"], True),
        ("Sexe", ["Masculin", "Féminin", "Non-genré"], False),
        ("Lieu d'exercice", ["Rural", "Semi-rural", "Urbain"], False),
        ("CPTS d'appartenance", ["Amandinois", "Grand Denain", "Grand Valenciennes"], False),
        ("Type de structure de travail", ["Cabinet individuel", "Cabinet de groupe (médecins uniquement)",
                                          "Cabinet de groupe (pluriprofessionnel)", "Maison de santé pluridisciplinaire",
                                          "Maison de santé pluridisciplinaire multisites"], False),
        ("Votre profession", ["Médecin généraliste", "Médecin spécialiste", "Infirmier(e) / IPA", "Pharmacien(ne)",
                              "Sage-femme", "Masseur-kinésithérapeute"], True),
        ("Lorsque vous devez contacter un confrère pour le suivi d'un patient, quel moyen utilisez-vous le plus ?",
         ["Téléphone", "Outil de télé-expertise", "Messagerie sécurisée de santé (MSS)", "Mail personnel, SMS ou WhatsApp",
          "Courrier"], False),
        ("Qui se charge de la gestion technique des outils numériques au sein du cabinet ?",
         ["Un médecin", "Un(e) secrétaire", "Un prestataire extérieur, payé par le cabinet", "Personne"], True),
        ("Quel logiciel de téléconsultation utilisez-vous principalement ?",
         ["Doctolib", "Maiia", "Qare", "Livi", "Je n'en utilise pas"], True),
        ("Utilité principale de la télé-expertise :", ["Avis de second recours", "Coordination CPTS",
                                                        "Éviter un déplacement du patient"], True),
        ("Région d'exercice", ["Hauts-de-France", "Île-de-France", "Centre-Val de Loire", "Auvergne-Rhône-Alpes",
                               "Occitanie", "Grand Est"], False),
        ("Mode d'exercice", ["Libéral exclusif", "Mixte (libéral et salarié)", "Salarié exclusif"], False),
    ],
    "en": [
        ("What is your specialty?", ["General practice", "Cardiology", "Dermatology", "Paediatrics", "Psychiatry"], True),
        ("Where do you practise?", ["Urban area", "Suburban area", "Rural area"], False),
        ("Gender", ["Female", "Male", "Non-binary"], False),
        ("How do you most often contact a colleague about a patient?",
         ["Phone", "Secure messaging", "Personal e-mail, text or WhatsApp", "Letter"], True),
    ],
}

# Ordered classes (ages, volumes): the form's order is the natural order.
CLASSES = {
    "fr": [
        ("Âge", ["< 35 ans", "35–50 ans inclus", "> 50 ans"]),
        ("Quel est votre âge ?", ["Moins de 30 ans", "30 à 39 ans", "40 à 49 ans", "50 à 59 ans", "60 ans et plus"]),
        ("Nombre d'actes hebdomadaires", ["< 50", "50–75", "75–110", "> 110"]),
        ("Depuis combien de temps êtes-vous installé(e) ?", ["Moins de 5 ans", "5 à 15 ans", "Plus de 15 ans"]),
        ("Nombre de médecins dans votre structure", ["1", "2 à 4", "5 à 9", "10 et plus"]),
    ],
    "en": [
        ("Age group", ["Under 30", "30-39", "40-49", "50-59", "60 or older"]),
        ("Years in practice", ["Less than 5 years", "5 to 15 years", "More than 15 years"]),
    ],
}

# ---------------------------------------------------------------------------------------- checkboxes

CHECKBOXES = {
    "fr": [
        ("Quels outils numériques utilisez-vous dans votre pratique ? (plusieurs réponses possibles)",
         ["Aide à la décision (scores, calculateurs)", "Plateformes de formation", "Téléconsultation",
          "Messagerie sécurisée de santé (MSS)", "Dossier médical partagé (DMP)", "Prise de rendez-vous en ligne",
          "e-Prescription"], True),
        ("Pour obtenir l'expertise d'un confrère, comment le faites-vous ?",
         ["Téléphone", "Courrier", "Messagerie sécurisée", "Plateforme de télé-expertise (Omnidoc, autre)",
          "Mail personnel, SMS ou WhatsApp"], True),
        ("Quels sont, selon vous, les principaux freins au numérique en santé ?",
         ["Manque de temps", "Coût des outils", "Interopérabilité des logiciels", "Manque de formation",
          "Complexité, ergonomie des outils", "Sécurité des données"], True),
        ("Spécialité la plus sollicitée ?",
         ["Cardiologie", "Dermatologie", "Néphrologie", "Urologie", "Pneumologie", "Endocrinologie", "Gériatrie"], True),
        ("Pour quelles tâches utilisez-vous le numérique ? (plusieurs réponses possibles)",
         ["Feuilles de soins électroniques", "Arrêts de travail", "Ordonnances", "Courriers aux confrères",
          "Résultats de biologie"], False),
    ],
    "en": [
        ("Which digital tools do you use? (select all that apply)",
         ["Decision support (scores, calculators)", "Online training", "Teleconsultation", "Secure messaging",
          "Online booking"], True),
        ("What are the main barriers to tele-expertise?",
         ["Lack of time", "Cost", "Software interoperability", "Lack of training", "Liability, traceability"], True),
    ],
}

# ------------------------------------------------------------------------------------ linear scales
# (header, min, max); the header says the bounds, or not.

LINEAR = {
    "fr": [
        ("Aisance avec les outils numériques", 1, 10),
        ("Sur une échelle de 0 à 10, recommanderiez-vous la télé-expertise à un confrère ?", 0, 10),
        ("Pensez-vous que la télé-expertise sera indispensable dans 10 ans ?", 1, 10),
        ("Satisfaction globale vis-à-vis de votre logiciel métier (1 = pas du tout satisfait, 5 = très satisfait)", 1, 5),
        ("De 1 à 7, à quel point le numérique facilite-t-il votre exercice ?", 1, 7),
        ("Niveau de stress lié aux outils numériques", 0, 5),
    ],
    "en": [
        ("On a scale of 0 to 10, how likely are you to recommend tele-expertise to a colleague?", 0, 10),
        ("How comfortable are you with digital tools?", 1, 5),
    ],
}

# Numbers typed in (header, low, high, decimals) and years.
NUMBERS = {
    "fr": [
        ("Nombre de patients vus par semaine", 40, 250, 0),
        ("Combien de téléconsultations avez-vous réalisées le mois dernier ?", 0, 60, 0),
        ("Temps moyen de consultation (en minutes)", 10, 30, 1),
        ("Âge (en années)", 27, 72, 0),
        ("Nombre d'heures par semaine consacrées aux tâches administratives", 1, 20, 1),
    ],
    "en": [
        ("How many patients do you see per week?", 40, 250, 0),
        ("Average consultation length (minutes)", 10, 30, 1),
    ],
}
YEARS = {
    "fr": ["Année d'installation", "Année de soutenance de la thèse", "En quelle année avez-vous commencé la télé-expertise ?"],
    "en": ["Year of graduation", "Year you started practising"],
}
DATES = {
    "fr": ["Date de votre dernière formation au numérique", "Date de la dernière mise à jour de votre logiciel"],
    "en": ["Date of your last training session"],
}

# ------------------------------------------------------------------------------------------ grids

RATING_GRIDS = {
    "fr": [
        ("Freins à l'utilisation de la télé-expertise (de 1 : pas un frein à 10 : frein majeur)", 1, 10,
         ["Perte de temps", "Manque de connaissance de la télé-expertise", "Difficultés de fonctionnement de l'outil",
          "Déshumanisation des relations", "Modification des habitudes de travail",
          "Manque d'information sur la traçabilité / responsabilité"]),
        ("Notez de 1 à 5 l'utilité de chaque outil", 1, 5,
         ["Messagerie sécurisée", "Dossier médical partagé", "Ordonnance numérique", "Agenda en ligne"]),
    ],
    "en": [
        ("Rate each barrier from 1 (not a barrier) to 5 (major barrier)", 1, 5,
         ["Time", "Cost", "Training", "Interoperability"]),
    ],
}
RANK_GRIDS = {
    "fr": [
        ("Classez par ordre de préférence les moyens de joindre un confrère", ["Téléphone", "Messagerie sécurisée",
                                                                             "Plateforme de télé-expertise", "Courrier"]),
    ],
    "en": [
        ("Rank these sources of information", ["Colleagues", "Guidelines", "Online search", "Medical journals"]),
    ],
}
# Categorical grids: (header, scale keys that fit, rows)
CHOICE_GRIDS = {
    "fr": [
        ("À quelle fréquence utilisez-vous les outils suivants ?", ["freq_fr_5", "freq_fr_6"],
         ["Messagerie sécurisée de santé (MSS)", "Identité nationale de santé (INS)", "Dossier médical partagé (DMP)",
          "Prise de rendez-vous en ligne", "Ordonnance numérique"]),
        ("Comment jugez-vous la coordination sur votre territoire ?", ["satis_fr_4"],
         ["Entre professionnels de santé de ville", "Avec les établissements de santé", "Avec le médico-social"]),
        ("Êtes-vous d'accord avec les affirmations suivantes ?", ["agree_fr_5", "agree_fr_4"],
         ["Le numérique me fait gagner du temps", "Les outils sont faciles à utiliser",
          "Mes patients sont demandeurs", "La sécurité des données est assurée"]),
    ],
    "en": [
        ("How often do you use the following tools?", ["freq_en_unit", "freq_en_5"],
         ["Secure messaging", "Shared medical record", "Online booking", "E-prescription"]),
        ("To what extent do you agree with the following statements?", ["agree_en_5"],
         ["Digital tools save me time", "The tools are easy to use", "My patients ask for them"]),
    ],
}

# --------------------------------------------------------------------------------------- free text

OPEN_QUESTIONS = {
    "fr": ["Autres freins identifiés :", "Qu'est-ce qui favoriserait votre utilisation ?",
           "Principaux leviers pour les années à venir ?", "Commentaires", "Pourquoi ?",
           "Avez-vous des remarques sur ce questionnaire ?",
           "Quelles évolutions attendez-vous de votre logiciel métier ?"],
    "en": ["Any other comments?", "Why?", "What would help you use tele-expertise more?"],
}
# Open questions whose answers recur (short answers, typed: case and spelling vary).
RECURRING_OPEN = {
    "fr": [("Si vous pratiquez la télé-expertise avec une plateforme, laquelle ou lesquelles utilisez-vous ?",
            ["Omnidoc", "omnidoc", "OMNIDOC", "Omnidoc ", "Omnidoc, Doctolib", "Maiia", "maiia", "Doctolib",
             "doctolib", "Pulsy", "pulsy", "Prédice", "predice", "Entr'actes"]),
           ("Quel logiciel métier utilisez-vous ?",
            ["Weda", "weda", "WEDA", "Médistory", "Medistory", "Crossway", "crossway", "HelloDoc", "Hellodoc",
             "Axisanté", "axisanté", "Axisante", "Almapro", "MLM", "Doctolib Médecin"]),
           ("Principal frein en un mot ?",
            ["LE TEMPS", "le temps", "Le temps", "Le temps.", "temps", "Le temps, l'argent", "L'argent", "argent",
             "La formation", "formation", "L'interopérabilité", "interopérabilité"])],
    "en": [("Which software do you use?", ["Epic", "epic", "EPIC", "Cerner", "cerner", "EMIS", "Emis", "SystmOne",
                                           "systmone", "Vision"])],
}
FRAGMENTS_FR = [
    "le manque de temps", "la rémunération insuffisante", "l'interopérabilité entre logiciels", "la formation des secrétaires",
    "un meilleur financement", "une plateforme unique", "des outils plus simples", "la lenteur de la connexion",
    "les mises à jour trop fréquentes", "la double saisie", "le manque de retour des spécialistes",
    "la responsabilité médico-légale", "l'absence de spécialistes disponibles", "une formation pendant l'internat",
    "un accompagnement par la CPTS", "la connexion en zone rurale", "des délais de réponse plus courts",
    "la cotation des actes", "la déshumanisation de la relation", "un référent numérique au cabinet",
    "l'ergonomie des logiciels", "la sécurité des données de santé", "le coût des abonnements", "la charge administrative",
]
FRAGMENTS_EN = [
    "lack of time", "poor reimbursement", "software that does not talk to each other", "more training",
    "a single platform", "simpler tools", "slow internet", "too many updates", "double data entry",
    "liability concerns", "no specialist available", "support from the local network", "faster replies",
]
TEMPLATES_FR = ["{A}", "{A} et {b}", "{A}, {b}", "Surtout {a}", "{A}. Aussi {b}", "Je dirais {a} et {b}",
                "{A} ; {b} ; {c}", "Pour moi {a}, mais aussi {b}", "{A} (et {b})", "Clairement {a}"]
TEMPLATES_EN = ["{A}", "{A} and {b}", "{A}, {b}", "Mostly {a}", "{A}. Also {b}", "I would say {a} and {b}"]
SHORT_RECURRING = {"fr": ["RAS", "Rien", "Non", "Aucun", "rien à ajouter", "Merci"], "en": ["None", "N/A", "No", "Nothing"]}
OTHER_TEXTS = {
    "fr": ["PMI", "EHPAD", "Médecin coordonnateur en EHPAD", "centre de santé", "Régulation au SAMU", "Je ne sais pas trop",
           "dépend des jours", "Via la CPTS", "Par l'intermédiaire de ma secrétaire", "Aucun pour l'instant"],
    "en": ["Hospital at home", "Locum", "Depends on the day", "Through my secretary", "None so far"],
}

PLACES = ["Valenciennes", "Denain", "Saint-Amand", "Orléans", "Tours", "Bourges", "Chartres", "Blois", "Lille",
          "Douai", "Condé-sur-l'Escaut", "Anzin"]
OTHER_TEMPLATES = {
    "fr": ["{A} à {p}", "Remplacements à {p}", "Centre de santé de {p}", "Selon {a}", "PMI de {p}", "EHPAD de {p}",
           "Ça dépend : {a}"],
    "en": ["{A} in {p}", "Locum in {p}", "Community clinic, {p}", "Depends on {a}"],
}

# ------------------------------------------------------------------------------------ personal data
FIRST_NAMES = ["Martin", "Jean", "Marie", "Nathalie", "Isabelle", "Philippe", "Sophie", "Nicolas", "Julien",
               "Camille", "Thomas", "Claire", "Laurent", "Céline", "Antoine", "Émilie", "François", "Hélène"]
LAST_NAMES = ["Lefebvre", "Dupont", "Moreau", "Lambert", "Fournier", "Girard", "Bonnet", "Mercier", "Rousseau",
              "Blanchard", "Guérin", "Faure", "Chevalier", "Gauthier", "Perrin", "Marchand"]
PII_TEMPLATES_FR = [
    "voir avec {title_low} {first_low} {last_low}, cabinet du loiret : {phone}",
    "Contactez-moi : {email}",
    "{title} {first} {last} a tout organisé, merci à lui",
    "j'en ai parlé avec {first_low} {last_low} de la CPTS",
    "Mon numéro : {phone}, rappelez-moi",
    "RPPS {rpps} si besoin de me joindre",
    "{first} {last} ({email}) est le référent numérique",
    "le temps, surtout avec {title_low} {last_low} qui ne répond jamais",
]
PII_TEMPLATES_EN = [
    "Please contact me at {email}",
    "Ask {title} {first} {last}, she set it up",
    "my number is {phone}",
    "{first_low} {last_low} from the network helped a lot",
]
