"""Which product a shop's name means: brand and model out of real names, whatever order the shop uses.

The names are copied from real product pages (../shared/data/pages/, their shops' own words) and from the
golden fixtures of tests/fixtures/pages/; the expected brand and model are a reader's, written by hand.
"""

from __future__ import annotations

import pytest

from scrapers.types import Product
from server.sources.identity import fold, identity_of

# (page language, name as the page shows it, brand in its markup, expected brand, expected model)
NAMES = [
    # The orders shops use, as the project's issue lists them.
    ("it", "Macchina da caffè Espresso Lume 2", "Lume", "Lume", "2"),
    ("fr", "Aspirateur balai sans fil Dyson V15 Detect Absolute", "Dyson", "Dyson", "V15 Detect Absolute"),
    ("it", "Lavatrice a carica frontale Samsung WW90T534DAW/S3 9 kg", "Samsung", "Samsung", "WW90T534DAW/S3"),
    ("it", "Apple iPhone 15 Pro (256 GB) - Titanio naturale", "Apple", "Apple", "iPhone 15 Pro"),
    ("fr", "Sony WH-1000XM5 Casque sans fil", "Sony", "Sony", "WH-1000XM5"),
    ("en", "PlayStation 5 Digital Edition", "Sony", "Sony", "PlayStation 5"),
    ("en", "WH-1000XM5", "Sony", "Sony", "WH-1000XM5"),
    # tests/fixtures/pages/ (golden pages)
    (
        "en",
        "Ultrean Digital Food Scale, High Precision Kitchen Scale, Measures in Grams and Ounces for "
        "Cooking and Baking, 5 Units with Tare Function, Stainless Surface (Batteries Included) - Silver",
        "Ultrean",
        "Ultrean",
        None,
    ),
    (
        "en",
        "JETech Screen Protector for iPhone 15 Pro Max 6.7-Inch, Tempered Glass Film with Easy "
        "Installation Tool, Case-Friendly, HD Clear, 3-Pack",
        "JETech",
        "JETech",
        None,
    ),
    (
        "en",
        'MIUQAOKL 23.6"x35.4" Printed Grounding Mat with 15FT Grounding Wire, Earth Connected Therapy, '
        "Grounding Pad for Improve Sleep and Help with Anxiety",
        "MIUQAOKL",
        "MIUQAOKL",
        None,
    ),
    ("en", "Sonara QuietPro 700 Wireless Noise Cancelling Headphones", "Sonara", "Sonara", "QuietPro 700"),
    ("de", "Bosch Wasserkocher TWK3A011, 1,7 L, Weiß", "Bosch", "Bosch", "TWK3A011"),
    (
        "it",
        "De'Longhi Dedica Style EC685.M Macchina per Caffè Espresso, 1350 W, Argento",
        "De'Longhi",
        "De'Longhi",
        "Dedica Style EC685.M",
    ),
    (
        "en",
        "Sony - WH-1000XM5 Wireless Noise-Canceling Over-the-Ear Headphones - Black",
        "Sony",
        "Sony",
        "WH-1000XM5",
    ),
    (
        "fr",
        "Aspirateur balai sans fil Rowenta X-Force 9.60 RH2037WO",
        "Rowenta",
        "Rowenta",
        "X-Force 9.60 RH2037WO",
    ),
    (
        "fr",
        "Casque sans fil à réduction de bruit Bose QuietComfort Ultra Noir",
        "Bose",
        "Bose",
        "QuietComfort Ultra",
    ),
    ("de", "Bellona Duo Siebträgermaschine mit Dualboiler", "Bellona", "Bellona", "Duo"),
    ("en", "Kestrel K2 Stand Mixer, 5 L, Cream", "Kestrel", "Kestrel", "K2"),
    ("it", "Moka Express 6 tazze & guarnizione di ricambio", None, None, "Moka Express"),
    ("pt", "Chaleira Inox 1,2 L", None, None, None),
    ("en", 'Vantage 55" OLED55V9 4K Smart TV', "Vantage", "Vantage", "OLED55V9"),
    ("es", "Hervidor eléctrico cuello de cisne 0,9 L con termómetro", "Puerto", "Puerto", None),
    (
        "it",
        "Ardenza Sorrento Pro – Macchina da caffè espresso con gruppo E61, acciaio inox",
        "Ardenza",
        "Ardenza",
        "Sorrento Pro",
    ),
    (
        "en",
        "Sonara QuietPro 700 Wireless Noise Cancelling Headphones, Midnight Black",
        "Sonara",
        "Sonara",
        "QuietPro 700",
    ),
    ("it", "SAMSUNG WW90T534DAE, Lavatrice 9 kg, Classe A", "SAMSUNG", "SAMSUNG", "WW90T534DAE"),
    ("it", "Samsung Galaxy A55 5G 128GB Blu", "Samsung", "Samsung", "Galaxy A55"),
    ("en", "Ninja Professional Blender 1000W, BL610, Black", "Ninja", "Ninja", "BL610"),
    ("fr", "Moulin à café manuel C40 MK4, inox", "Comandante", "Comandante", "C40 MK4"),
    # ../shared/data/pages/ (real shops' pages)
    (
        "en",
        "Vegetable Perfection: 100 delicious recipes for roots, bulbs, shoots and stems",
        None,
        None,
        None,
    ),
    ("en", 'Gorilla Black Duct Tape, 1.88" x 12 yd, Black, (Pack of 2)', "Gorilla", "Gorilla", None),
    (
        "de",
        "Candy RapidÓ RO 1486DWMCE/1-S Waschmaschine / 8 kg/Smarte Bedienung mit Wi-Fi + Bluetooth/Easy "
        "Iron - Dampffunktion, Weiß",
        "Candy",
        "Candy",
        "RapidÓ RO 1486DWMCE/1-S",
    ),
    ("de", "Lenovo ThinkPad X1 Nano - Laptop Black 16GB RAM 1TB SSD", "Lenovo", "Lenovo", "ThinkPad X1 Nano"),
    (
        "en",
        "Midea Washing Machine W 5.840 iN / 8 kg / Steam Care / Reload - Refill Function / BLDC Inverter "
        "Motor / 1400 rpm, White",
        "Midea",
        "Midea",
        "W 5.840 iN",
    ),
    (
        "es",
        "Cecotec Robot Limpiacristales Windroid 880 SprayWater Smart Connected. 90 W, Pulveriza, Limpia y "
        "Seca, Control por App y Mando a Distancia, 4 Programas, Cable 5,5m, Incluye 12 Paños",
        "Cecotec",
        "Cecotec",
        "Windroid 880",
    ),
    ("es", "Apple iPhone 13 Pro 256GB - Grafito (Reacondicionado)", "Apple", "Apple", "iPhone 13 Pro"),
    (
        "fr",
        'HP Chromebook x360 12b-ca0000sf Ordinateur Ultraportable Convertible et Tactile 12" HD (Intel '
        "Celeron, RAM 4 Go, eMMC 32 Go, AZERTY, ChromeOS)",
        "HP",
        "HP",
        "Chromebook x360 12b-ca0000sf",
    ),
    ("it", "Sony PlayStation 5 - Digital Edition", "Playstation", "Sony", "PlayStation 5"),
    ("pt", "Ipad apple ipad (wi-fi) (a2602) 64gb (10.2) (9 generacion)", "Apple", "apple", "ipad"),
    ("pt", 'Smart TV LG 55" OLED UHD 4K 55OLEDB56LA (2025) - 140cm', "LG", "LG", "55OLEDB56LA"),
    ("en", "Better Off Dead [Exclusive Blu-ray Steelbook]", None, None, None),
    ("fr", "Short en jean Hybrid Regular", "H&M", "H&M", "Hybrid Regular"),
    ("fr", "MAMA Robe avec ceinture à nouer", "H&M", "H&M", "MAMA"),
    ("en", "Duprey 4-Light Lantern Pendant", None, None, "Duprey"),
    (
        "pt",
        'Notebook ASUS Vivobook Go 15 Intel Celeron 4GB RAM 128GB eMMC 15,6" UHD Rosa Windows 11+ '
        "Microsoft 365 Personal Office E510KA-BR833WS",
        "Asus",
        "ASUS",
        "Vivobook Go 15",
    ),
    ("pt", "Mochila Basic Olympikus", "Olympikus", "Olympikus", "Basic"),
    ("pt", "iPhone 17 Pro Max 256GB Deep Blue (C/ Nota Apple)", None, None, "iPhone 17 Pro Max"),
    ("pt", "iPhone 16 Pro Max 256 GB", None, None, "iPhone 16 Pro Max"),
    (
        "de",
        "Samsung Side-by-Side RS6GA884CSL, 178 cm hoch, 91,2 cm breit",
        "Samsung",
        "Samsung",
        "RS6GA884CSL",
    ),
    (
        "de",
        "Fairphone Fairphone 4 Bundle mit recable USB-C Kabel + Charger Smartphone (6,3 Zoll, 48 MP Kamera)",
        "Fairphone",
        "Fairphone",
        "Fairphone 4",
    ),
    ("en", "Keystick Wall Sconce", "Rejuvenation", "Rejuvenation", "Keystick"),
    ("it", "Sony PlayStation 5 Nero, Bianco 825 GB Wi-Fi", "Sony", "Sony", "PlayStation 5"),
    ("en", "Penhook 20.47'' Wide Armchair", "Wade Logan®", "Wade Logan", "Penhook"),
    (
        "pt",
        "Máquina de Lavar Roupa BECKEN BWM9650 WH (8 kg - 1400 rpm - Branco)",
        "Worten.pt",
        "BECKEN",
        "BWM9650 WH",
    ),
    (
        "de",
        "JAAMES TURNTABLES - T-Shirt print - acid black",
        "ARMEDANGELS",
        "ARMEDANGELS",
        "JAAMES TURNTABLES",
    ),
    ("fr", "AUS REINER - Pantalon classique - marine", "hessnatur", "hessnatur", "AUS REINER"),
    # search results on real shops' pages (kuantokusta.pt, mercadolivre.com.br)
    ("pt", 'Apple iPad 2021 10.2" 64GB Wi-Fi Space Grey', "Apple", "Apple", "iPad 2021"),
    ("pt", 'Apple iPad Air 2022 10.9" 256GB Wi-Fi + Cellular Purple', "Apple", "Apple", "iPad Air 2022"),
    ("pt", 'Apple iPad Pro 2024 11" M4 2TB Wi-Fi Space Black', "Apple", "Apple", "iPad Pro 2024"),
    ("pt", 'Apple iPad 2022 10ª Geração 10.9" 256GB Wi-Fi Azul', "Apple", "Apple", "iPad 2022"),
    ("pt", "Apple iPad 9th Gen 10.2'' 64 Gb Wi-Fi Silver", "Apple", "Apple", "iPad 9th Gen"),
    ("pt", "Apple iPad 11 A16 Wi-fi 128 Gb 11 Azul", "Apple", "Apple", "iPad 11 A16"),
    ("pt", 'Apple iPad 10.2" Wi-Fi 64 GB (9ª geração) cinza espacial', "Apple", "Apple", "iPad"),
]


def _same(a: str | None, b: str | None) -> bool:
    return (a and fold(a)) == (b and fold(b))


@pytest.mark.parametrize(
    ("lang", "name", "markup_brand", "brand", "model"), NAMES, ids=[n[1][:40] for n in NAMES]
)
def test_the_brand_and_model_a_shopper_reads_in_the_name(lang, name, markup_brand, brand, model):
    identity = identity_of(Product(name=name, brand=markup_brand), lang)
    assert (identity.brand, identity.model) == (brand, model) or (
        _same(identity.brand, brand) and _same(identity.model, model)
    )


def test_the_table_covers_sixty_names_in_six_languages():
    assert len(NAMES) >= 60
    assert {row[0] for row in NAMES} == {"en", "it", "fr", "de", "es", "pt"}
