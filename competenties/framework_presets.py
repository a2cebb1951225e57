"""The shipped frameworks an organisation starts from (the interface calls them templates;
they are data, not Django templates). Organisations copy one and adapt the copy.

The names, definitions and level descriptions are domain content in Dutch (the
language of the Flemish shop floor), not interface strings, so they are not
translated. Each indicator reads: (behaviour, Onvoldoende, Matig, Goed, Zeer goed).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateCompetency:
    name: str
    definition: str
    category: str
    indicators: tuple[tuple[str, str, str, str, str], ...]


@dataclass(frozen=True)
class FrameworkTemplate:
    key: str
    name: str
    description: str
    competencies: tuple[TemplateCompetency, ...]


def _c(name, definition, category, *indicators):
    return TemplateCompetency(name, definition, category, tuple(indicators))


SW_LDE = FrameworkTemplate(
    key="sw-lde-sam",
    name="SW/LDE-profiel (SAM-attitudeschaal)",
    description="Attitudes van doelgroepmedewerkers in maatwerkbedrijven en lokale diensteneconomie, "
    "ingedeeld in kern-, bijkomende en extra competenties.",
    competencies=(
        _c(
            "Samenwerken",
            "Samen met collega's naar een gemeenschappelijk resultaat werken.",
            "core",
            (
                "Helpt collega's spontaan",
                "Helpt niet, ook niet als het gevraagd wordt.",
                "Helpt enkel wanneer het uitdrukkelijk gevraagd wordt.",
                "Biedt hulp aan wanneer hij ziet dat een collega vastloopt.",
                "Stemt zijn werk af op de ploeg en springt bij zonder dat het eigen werk lijdt.",
            ),
            (
                "Deelt informatie met de ploeg",
                "Houdt informatie voor zich, ook als anderen ze nodig hebben.",
                "Geeft informatie door als er naar gevraagd wordt.",
                "Meldt uit zichzelf wat collega's moeten weten.",
                "Zorgt dat de hele ploeg op de hoogte is, ook bij ploegwissels.",
            ),
        ),
        _c(
            "Zelfstandigheid en zelfredzaamheid",
            "Het eigen werk uitvoeren zonder voortdurende begeleiding.",
            "core",
            (
                "Werkt zonder voortdurend toezicht",
                "Stopt met werken zodra de begeleider weg is.",
                "Werkt door, maar vraagt vaak bevestiging.",
                "Voert bekende taken alleen uit.",
                "Voert ook nieuwe taken alleen uit na één uitleg.",
            ),
            (
                "Lost kleine problemen zelf op",
                "Blijft wachten bij elk probleem.",
                "Vraagt meteen hulp, ook bij eenvoudige problemen.",
                "Lost gewone problemen zelf op en meldt de rest.",
                "Lost problemen op en stelt een verbetering voor.",
            ),
        ),
        _c(
            "Initiatief",
            "Zelfstandig werken: zelf de eerste stap zetten om iets in gang te brengen of te verbeteren.",
            "core",
            (
                "Onderneemt uit zichzelf actie",
                "Wacht tot anderen iets doen en doet zelf niets.",
                "Doet pas iets wanneer iemand zegt wat hij moet doen.",
                "Pakt de taken aan die hem toegewezen zijn, zonder dat iemand het vraagt.",
                "Pakt ook werk aan dat strikt genomen niet tot zijn takenpakket hoort.",
            ),
            (
                "Meldt een probleem dat zich voordoet",
                "Meldt geen enkel probleem, ook niet wanneer het werk erdoor stilvalt.",
                "Merkt een probleem op, maar laat het zo.",
                "Meldt de meeste problemen aan de begeleider.",
                "Meldt een probleem en lost het zelf op waar dat mag.",
            ),
            (
                "Meldt wanneer een taak af is",
                "Meldt niet dat een taak af is.",
                "Meldt zelden dat een taak af is.",
                "Meldt meestal dat een taak af is, op een enkele keer na.",
                "Meldt altijd dat een taak af is, zonder eraan herinnerd te worden.",
            ),
        ),
        _c(
            "Flexibiliteit",
            "Zich aanpassen aan veranderende taken, plaatsen en omstandigheden.",
            "core",
            (
                "Aanvaardt een andere taak of werkpost",
                "Weigert een andere taak.",
                "Doet het met tegenzin en klaagt.",
                "Aanvaardt de wissel zonder problemen.",
                "Biedt zich zelf aan waar hij nodig is.",
            ),
            (
                "Past zich aan bij een wijziging in de planning",
                "Raakt van slag en stopt met werken.",
                "Heeft veel tijd en uitleg nodig.",
                "Past zich na korte uitleg aan.",
                "Schakelt meteen om en helpt anderen mee.",
            ),
        ),
        _c(
            "Leervermogen, leergierigheid en interesse",
            "Nieuwe kennis en vaardigheden opnemen en toepassen.",
            "core",
            (
                "Onthoudt instructies",
                "Vergeet instructies dezelfde dag.",
                "Heeft instructies meermaals nodig.",
                "Past een instructie na één of twee keer uitleg toe.",
                "Past instructies meteen toe en legt ze aan anderen uit.",
            ),
            (
                "Leert uit fouten",
                "Maakt telkens dezelfde fout.",
                "Verbetert na herhaalde feedback.",
                "Verbetert na één keer feedback.",
                "Vraagt zelf feedback en voorkomt fouten.",
            ),
        ),
        _c(
            "Motivatie",
            "Inzet en interesse tonen voor het werk en de eigen ontwikkeling.",
            "core",
            (
                "Zet zich in tijdens het werk",
                "Doet het minimum of minder.",
                "Zet zich wisselend in.",
                "Werkt de hele dag met inzet.",
                "Werkt met zichtbare inzet en trekt anderen mee.",
            ),
            (
                "Toont interesse in het eigen leertraject",
                "Toont geen interesse.",
                "Neemt deel als het moet.",
                "Stelt vragen en komt afspraken na.",
                "Brengt zelf doelen en ideeën aan.",
            ),
        ),
        _c(
            "Nauwkeurigheid",
            "Werk afleveren dat aan de afgesproken kwaliteit voldoet.",
            "additional",
            (
                "Levert werk zonder fouten af",
                "Veel werk moet overgedaan worden.",
                "Regelmatig kleine fouten.",
                "Zelden fouten.",
                "Foutloos, ook bij moeilijk werk.",
            ),
            (
                "Controleert het eigen werk",
                "Controleert niet.",
                "Controleert als het gevraagd wordt.",
                "Controleert uit zichzelf.",
                "Controleert en verbetert ook de werkwijze.",
            ),
        ),
        _c(
            "Discipline: omgaan met regels en afspraken",
            "De afspraken, het arbeidsreglement en de veiligheidsregels volgen.",
            "additional",
            (
                "Volgt de veiligheidsregels",
                "Negeert regels, ook na opmerking.",
                "Volgt ze als er toezicht is.",
                "Volgt ze altijd.",
                "Volgt ze en wijst collega's erop.",
            ),
            (
                "Houdt zich aan pauzes en afspraken",
                "Houdt zich niet aan afspraken.",
                "Soms over de tijd of afspraak heen.",
                "Houdt zich aan afspraken.",
                "Houdt zich eraan en meldt vooraf als het niet lukt.",
            ),
        ),
        _c(
            "Gezag aanvaarden",
            "Opdrachten en feedback van een leidinggevende aanvaarden.",
            "additional",
            (
                "Voert opdrachten van de begeleider uit",
                "Weigert opdrachten.",
                "Voert ze uit na discussie.",
                "Voert ze uit en vraagt uitleg als iets onduidelijk is.",
                "Voert ze uit en bespreekt bezwaren op een gepast moment.",
            ),
            (
                "Reageert rustig op feedback",
                "Reageert boos of loopt weg.",
                "Verdedigt zich of wuift de feedback weg.",
                "Luistert en aanvaardt de feedback.",
                "Vraagt door en gebruikt de feedback.",
            ),
        ),
        _c(
            "Stressbestendigheid",
            "Goed blijven werken onder tijdsdruk, drukte of tegenslag.",
            "additional",
            (
                "Blijft werken bij tijdsdruk",
                "Blokkeert of stopt.",
                "Maakt meer fouten en wordt onrustig.",
                "Blijft rustig en werkt door.",
                "Blijft rustig en helpt de ploeg prioriteiten stellen.",
            ),
            (
                "Gaat om met onverwachte gebeurtenissen",
                "Raakt volledig van slag.",
                "Heeft hulp nodig om verder te gaan.",
                "Herpakt zich snel.",
                "Lost de situatie zelf op.",
            ),
        ),
        _c(
            "Conflicthantering",
            "Meningsverschillen op een gepaste manier oplossen.",
            "additional",
            (
                "Blijft beleefd bij onenigheid",
                "Scheldt of wordt agressief.",
                "Verheft de stem of wordt kortaf.",
                "Blijft beleefd en rustig.",
                "Blijft rustig en kalmeert ook anderen.",
            ),
            (
                "Vraagt hulp bij een conflict dat hij zelf niet oplost",
                "Laat het conflict oplopen tot iemand ingrijpt.",
                "Gaat de collega uit de weg; het conflict blijft.",
                "Vraagt de begeleider erbij wanneer een gesprek niet helpt.",
                "Vraagt tijdig hulp en legt rustig uit wat er gebeurde.",
            ),
        ),
        _c(
            "Voorkomen",
            "Verzorgd en passend voor de werkplek verschijnen.",
            "extra",
            (
                "Draagt de juiste werkkledij en beschermingsmiddelen",
                "Draagt ze niet.",
                "Draagt ze na opmerking.",
                "Draagt ze altijd.",
                "Draagt ze en houdt ze in goede staat.",
            ),
            (
                "Verschijnt verzorgd",
                "Persoonlijke hygiëne geeft problemen.",
                "Soms onverzorgd.",
                "Verzorgd.",
                "Verzorgd, ook in contact met klanten.",
            ),
        ),
        _c(
            "Fysieke mogelijkheden, medische mogelijkheden",
            "Het werk fysiek aankunnen, rekening houdend met beperkingen.",
            "extra",
            (
                "Houdt het werktempo een volledige dag vol",
                "Haalt geen halve dag.",
                "Heeft veel extra pauzes nodig.",
                "Houdt de dag vol met gewone pauzes.",
                "Houdt de dag vol, ook bij zwaar werk.",
            ),
            (
                "Gaat bewust om met de eigen beperkingen",
                "Negeert beperkingen en neemt risico's.",
                "Meldt beperkingen pas achteraf.",
                "Meldt beperkingen vooraf.",
                "Zoekt zelf aanpassingen en hulpmiddelen.",
            ),
        ),
        _c(
            "Lees-, schrijf- en rekenvaardigheden",
            "Basisvaardigheden die het werk vraagt.",
            "extra",
            (
                "Leest een geschreven werkinstructie",
                "Begrijpt de instructie niet.",
                "Begrijpt de instructie met uitleg.",
                "Begrijpt de instructie zelfstandig.",
                "Begrijpt ook een lange of nieuwe instructie zelfstandig.",
            ),
            (
                "Begrijpt de pictogrammen op de werkvloer",
                "Kent de pictogrammen niet.",
                "Kent enkele pictogrammen.",
                "Kent de pictogrammen van de eigen werkpost.",
                "Kent ook de pictogrammen van andere werkposten.",
            ),
            (
                "Telt aantallen correct",
                "Telt bijna altijd fout.",
                "Telt geregeld fout.",
                "Telt gewone aantallen correct.",
                "Telt ook grote aantallen foutloos.",
            ),
            (
                "Noteert gegevens correct op een formulier",
                "Vult het formulier niet in.",
                "Vult het formulier onvolledig of met fouten in.",
                "Vult het formulier volledig en juist in.",
                "Vult ook een nieuw formulier zonder uitleg juist in.",
            ),
        ),
        _c(
            "Communicatievaardigheden",
            "Duidelijk spreken, luisteren en zich verstaanbaar maken.",
            "extra",
            (
                "Vraagt na wat onduidelijk is",
                "Vraagt niets na en doet iets anders dan gevraagd.",
                "Vraagt pas na wanneer het al misloopt.",
                "Vraagt na wat hij niet begrijpt voor hij begint.",
                "Herhaalt de opdracht in eigen woorden om te controleren.",
            ),
            (
                "Meldt problemen aan de juiste persoon",
                "Meldt niets.",
                "Meldt te laat of aan de verkeerde persoon.",
                "Meldt tijdig aan de begeleider.",
                "Meldt tijdig, duidelijk en met een voorstel.",
            ),
        ),
        _c(
            "Taalkennis (Nederlands)",
            "Nederlands begrijpen en spreken op de werkvloer.",
            "extra",
            (
                "Begrijpt mondelinge opdrachten in het Nederlands",
                "Begrijpt ze niet.",
                "Begrijpt eenvoudige opdrachten met gebaren.",
                "Begrijpt gewone opdrachten.",
                "Begrijpt ook uitleg en gesprekken.",
            ),
            (
                "Spreekt Nederlands met collega's",
                "Spreekt geen Nederlands.",
                "Gebruikt losse woorden.",
                "Voert een eenvoudig gesprek.",
                "Spreekt vlot, ook met klanten.",
            ),
        ),
        _c(
            "Werkorganisatie/tijdsbeheer",
            "Het eigen werk plannen en op tijd klaar zijn.",
            "extra",
            (
                "Komt op tijd",
                "Komt vaak te laat zonder verwittigen.",
                "Komt soms te laat.",
                "Komt op tijd en verwittigt bij uitzondering.",
                "Altijd op tijd en klaar om te beginnen.",
            ),
            (
                "Plant de eigen taken",
                "Werkt zonder volgorde.",
                "Heeft een planning van de begeleider nodig.",
                "Volgt een planning en maakt het werk op tijd af.",
                "Plant zelf en houdt rekening met prioriteiten.",
            ),
        ),
        _c(
            "Overige",
            "Plaats voor een competentie die jullie organisatie zelf toevoegt: hernoem ze en beschrijf "
            "het gedrag in eigen gedragsindicatoren, of verwijder ze.",
            "extra",
        ),
    ),
)


BW = FrameworkTemplate(
    key="bw-melba",
    name="BW-profiel (MELBA/VLAB-competentiekaart)",
    description="Competentiekaart voor beschutte werkplaatsen, afgeleid van MELBA en de VLAB-kaart.",
    competencies=(
        _c(
            "Nauwkeurigheid/orde",
            "Zorgvuldig werken en de werkpost ordelijk houden.",
            "none",
            (
                "Werkt volgens de kwaliteitsnorm",
                "Haalt de norm niet.",
                "Haalt de norm met veel controle.",
                "Haalt de norm.",
                "Haalt de norm ook bij moeilijke opdrachten.",
            ),
            (
                "Houdt de werkpost opgeruimd",
                "Laat de werkpost rommelig achter.",
                "Ruimt op na opmerking.",
                "Ruimt uit zichzelf op.",
                "Ruimt op en houdt materiaal in goede staat.",
            ),
        ),
        _c(
            "Verantwoordelijkheid",
            "Instaan voor het eigen werk, materiaal en afspraken.",
            "none",
            (
                "Gaat zorgzaam om met materiaal en machines",
                "Beschadigt materiaal door onvoorzichtigheid.",
                "Gaat er soms slordig mee om.",
                "Gaat er zorgvuldig mee om.",
                "Gaat er zorgvuldig mee om en meldt defecten.",
            ),
            (
                "Erkent eigen fouten",
                "Ontkent of schuift ze door.",
                "Erkent ze als ze aangetoond worden.",
                "Meldt eigen fouten.",
                "Meldt eigen fouten en herstelt ze.",
            ),
        ),
        _c(
            "Initiatief nemen",
            "Zelf actie ondernemen zonder dat het gevraagd wordt.",
            "none",
            (
                "Neemt een nieuwe taak als de vorige klaar is",
                "Blijft wachten.",
                "Vraagt wat hij moet doen.",
                "Neemt een volgende taak.",
                "Neemt een volgende taak en helpt waar nodig.",
            ),
            (
                "Meldt verbeteringen",
                "Meldt niets.",
                "Meldt zelden iets.",
                "Meldt af en toe een verbetering.",
                "Stelt geregeld verbeteringen voor.",
            ),
        ),
        _c(
            "Samenwerken",
            "Met collega's samen een taak tot een goed einde brengen.",
            "none",
            (
                "Stemt af met collega's aan de lijn",
                "Werkt los van de anderen.",
                "Stemt af als het gevraagd wordt.",
                "Stemt uit zichzelf af.",
                "Coördineert de samenwerking.",
            ),
            (
                "Springt bij als een collega achterop raakt",
                "Nooit.",
                "Als het gevraagd wordt.",
                "Uit zichzelf.",
                "Uit zichzelf en zonder dat het eigen werk lijdt.",
            ),
        ),
        _c(
            "Voorkomen/uiterlijk",
            "Een verzorgde en passende indruk maken.",
            "none",
            (
                "Draagt de voorgeschreven kledij",
                "Niet.",
                "Na opmerking.",
                "Altijd.",
                "Altijd, en netjes onderhouden.",
            ),
            (
                "Komt verzorgd naar het werk",
                "Niet verzorgd.",
                "Wisselend.",
                "Verzorgd.",
                "Verzorgd en representatief bij klanten.",
            ),
        ),
        _c(
            "Flexibiliteit",
            "Zich aanpassen aan nieuwe taken en omstandigheden.",
            "none",
            (
                "Wisselt van taak",
                "Weigert.",
                "Met tegenzin.",
                "Zonder problemen.",
                "Biedt zich zelf aan.",
            ),
            (
                "Werkt met nieuwe materialen of methoden",
                "Weigert het nieuwe.",
                "Heeft veel begeleiding nodig.",
                "Leert het met gewone uitleg.",
                "Leert het snel en helpt anderen.",
            ),
        ),
        _c(
            "Houding",
            "Een positieve en respectvolle werkhouding.",
            "none",
            (
                "Spreekt collega's aan zonder te roepen of te schelden",
                "Scheldt of roept geregeld naar collega's.",
                "Roept of snauwt soms.",
                "Spreekt collega's rustig aan.",
                "Blijft rustig, ook wanneer een collega roept.",
            ),
            (
                "Werkt door tot de taak af is",
                "Stopt voor de taak af is en laat ze liggen.",
                "Werkt de taak af na een herinnering.",
                "Werkt de taak af zonder herinnering.",
                "Werkt de taak af en neemt daarna zelf de volgende.",
            ),
        ),
        _c(
            "Werktempo",
            "Een tempo aanhouden dat past bij de opdracht.",
            "none",
            (
                "Haalt de gevraagde productie",
                "Haalt minder dan de helft.",
                "Haalt een groot deel.",
                "Haalt de productie.",
                "Haalt meer dan gevraagd zonder kwaliteitsverlies.",
            ),
            (
                "Houdt het tempo de hele dag aan",
                "Valt snel terug.",
                "Valt in de namiddag terug.",
                "Houdt het tempo aan.",
                "Houdt het aan, ook bij piekmomenten.",
            ),
        ),
        _c(
            "Stiptheid",
            "Op tijd zijn en afspraken over tijd nakomen.",
            "none",
            (
                "Komt op tijd op het werk",
                "Vaak te laat.",
                "Soms te laat.",
                "Op tijd.",
                "Altijd op tijd en werkklaar.",
            ),
            (
                "Verwittigt bij afwezigheid",
                "Verwittigt niet.",
                "Verwittigt te laat.",
                "Verwittigt tijdig.",
                "Verwittigt tijdig en volgt de procedure.",
            ),
        ),
        _c(
            "Assertiviteit/omgaan met gezag",
            "Voor zichzelf opkomen met respect voor de leidinggevende.",
            "none",
            (
                "Zegt wanneer iets niet lukt",
                "Zwijgt of reageert agressief.",
                "Zegt het pas achteraf.",
                "Zegt het op tijd en rustig.",
                "Zegt het op tijd en stelt een oplossing voor.",
            ),
            (
                "Aanvaardt opdrachten van de leidinggevende",
                "Weigert opdrachten.",
                "Na discussie.",
                "Aanvaardt ze.",
                "Aanvaardt ze en bespreekt bezwaren gepast.",
            ),
        ),
        _c(
            "Klantvriendelijkheid",
            "Klanten vriendelijk en behulpzaam benaderen.",
            "none",
            (
                "Groet een klant die binnenkomt",
                "Groet niet, ook niet als de klant groet.",
                "Groet terug wanneer de klant groet.",
                "Groet de klant uit zichzelf.",
                "Groet de klant en vraagt of hij kan helpen.",
            ),
            (
                "Beantwoordt de vraag van een klant",
                "Beantwoordt de vraag niet en verwijst niet door.",
                "Beantwoordt de vraag met hulp van een collega.",
                "Beantwoordt de vraag of verwijst naar de juiste collega.",
                "Beantwoordt ook een ongewone vraag zelfstandig.",
            ),
        ),
    ),
)


DIGITAL = FrameworkTemplate(
    key="digital-skills",
    name="Digitale vaardigheden",
    description="Digitale basisvaardigheden voor werk en doorstroom, vrij naar het Europese DigComp-kader.",
    competencies=(
        _c(
            "Toestellen bedienen",
            "Een smartphone, tablet of computer gebruiken.",
            "core",
            (
                "Meldt zich aan op een toestel",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt zelfstandig en helpt anderen.",
            ),
            (
                "Gebruikt een app of programma voor het werk",
                "Lukt niet.",
                "Volgt stappen met hulp.",
                "Gebruikt de gewone functies zelfstandig.",
                "Gebruikt ook minder bekende functies.",
            ),
            (
                "Neemt een foto met een toestel en voegt ze toe",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt zelfstandig en kiest een duidelijke foto.",
            ),
        ),
        _c(
            "Informatie zoeken",
            "Online informatie vinden en beoordelen.",
            "core",
            (
                "Zoekt informatie op het internet",
                "Lukt niet.",
                "Vindt iets met hulp.",
                "Vindt de gezochte informatie.",
                "Vindt ze snel met gerichte zoekwoorden.",
            ),
            (
                "Herkent betrouwbare bronnen",
                "Gelooft alles.",
                "Twijfelt maar kan niet beoordelen.",
                "Herkent officiële bronnen.",
                "Vergelijkt bronnen en legt uit waarom.",
            ),
        ),
        _c(
            "Digitaal communiceren",
            "Berichten en e-mails versturen en beantwoorden.",
            "core",
            (
                "Beantwoordt een bericht of e-mail",
                "Antwoordt niet.",
                "Antwoordt onvolledig of naast de vraag.",
                "Antwoordt correct.",
                "Antwoordt correct en gepast naar de ontvanger.",
            ),
            (
                "Voegt een bijlage toe aan een bericht",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt zelfstandig en kiest het juiste bestand uit een map.",
            ),
        ),
        _c(
            "Online solliciteren en e-overheid",
            "Online diensten gebruiken voor werk en administratie.",
            "additional",
            (
                "Vult een online formulier in",
                "Lukt niet.",
                "Lukt met veel hulp.",
                "Lukt zelfstandig.",
                "Lukt en controleert vooraf alle gegevens.",
            ),
            (
                "Meldt zich aan met itsme of eID",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt en legt het aan anderen uit.",
            ),
            (
                "Tekent een document op een scherm",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt en leest eerst wat er getekend wordt.",
            ),
        ),
        _c(
            "Veiligheid en privacy",
            "Zichzelf en gegevens online beschermen.",
            "additional",
            (
                "Herkent een phishingbericht",
                "Klikt op alles.",
                "Twijfelt maar klikt toch.",
                "Herkent het en klikt niet.",
                "Herkent het en meldt het.",
            ),
            (
                "Gaat veilig om met wachtwoorden",
                "Deelt wachtwoorden.",
                "Gebruikt overal hetzelfde zwakke wachtwoord.",
                "Houdt wachtwoorden geheim en sterk.",
                "Gebruikt een wachtwoordbeheerder of tweestapsverificatie.",
            ),
            (
                "Deelt eigen gegevens bewust met anderen",
                "Deelt alles met iedereen.",
                "Deelt met hulp.",
                "Kiest zelf wat en met wie.",
                "Kiest wat, met wie en hoe lang, en trekt het weer in.",
            ),
        ),
        _c(
            "Digitale werkinstructies en registratie",
            "Werkinstructies op een scherm volgen en werk digitaal registreren.",
            "extra",
            (
                "Volgt een werkinstructie op een scherm",
                "Lukt niet.",
                "Lukt met hulp.",
                "Lukt zelfstandig.",
                "Lukt en meldt fouten in de instructie.",
            ),
            (
                "Registreert uren, scans of productie digitaal",
                "Lukt niet.",
                "Met veel fouten.",
                "Correct.",
                "Correct en controleert de registratie.",
            ),
        ),
    ),
)


TEMPLATES: dict[str, FrameworkTemplate] = {t.key: t for t in (SW_LDE, BW, DIGITAL)}

TEMPLATE_CHOICES = [(t.key, t.name) for t in TEMPLATES.values()]
