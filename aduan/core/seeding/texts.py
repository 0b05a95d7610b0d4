"""The words of the seeded complaints: citizens' names, what they complain about, the
office's answers, notes and questions. Sample text in the office's language, as citizens
and officials write it; nothing here is shown by the application as its own text."""

FIRST_NAMES = (
    "Sari", "Dimas", "Rina", "Yusuf", "Maya", "Hendra", "Fitri", "Agung", "Sri", "Bambang",
    "Dewi", "Joko", "Lestari", "Rudi", "Wulan", "Eko", "Ayu", "Teguh", "Nur", "Indah",
    "Bayu", "Siti", "Andi", "Ratna", "Hadi", "Putri", "Arif", "Yuni", "Wahyu", "Rahmat",
)  # fmt: skip
LAST_NAMES = (
    "Wulandari", "Saputra", "Kusuma", "Hidayat", "Lestari", "Gunawan", "Handayani",
    "Nugroho", "Wahyuni", "Sutrisno", "Santoso", "Rahayu", "Prasetyo", "Wibowo", "Setiawan",
    "Purnomo", "Susanti", "Hartono", "Maharani", "Firmansyah",
)  # fmt: skip

# Per category code: (subject, description, what the office found and did). Categories
# without their own entries (an office's own) use GENERAL.
TOPICS = {
    "ktp-el": [
        ("KTP-el belum jadi setelah tiga minggu",
         "Saya merekam KTP-el tiga minggu lalu, tetapi sampai sekarang belum bisa diambil.",
         "KTP-el Bapak/Ibu sudah dicetak dan dapat diambil di loket 2 dengan membawa bukti "
         "perekaman."),
        ("Data KTP-el berbeda dengan KK",
         "Tanggal lahir di KTP-el berbeda dengan yang tercantum di KK.",
         "data kependudukan sudah kami perbaiki sesuai dokumen dasar; silakan mencetak ulang "
         "KTP-el di loket 1."),
    ],
    "kk": [
        ("Anggota keluarga belum tercantum di KK baru",
         "Anak kedua saya belum tercantum di KK yang baru dicetak.",
         "KK sudah kami terbitkan ulang dengan anggota keluarga yang lengkap."),
    ],
    "kia": [
        ("KIA anak belum bisa dicetak", "Petugas mengatakan blangko KIA habis.",
         "blangko KIA sudah tersedia kembali dan KIA anak Bapak/Ibu sudah dicetak."),
    ],
    "akta-kelahiran": [
        ("Nama ayah salah ketik di akta kelahiran",
         "Pada akta kelahiran anak saya nama ayah tertulis keliru.",
         "kesalahan penulisan sudah kami betulkan melalui pembetulan akta."),
    ],
    "akta-kematian": [
        ("Akta kematian belum terbit",
         "Berkas akta kematian sudah lengkap sejak sepuluh hari lalu.",
         "akta kematian sudah terbit dan dapat diunduh melalui tautan yang kami kirimkan."),
    ],
    "akta-perkawinan-perceraian": [
        ("Pencatatan perkawinan belum selesai",
         "Kami menikah dua bulan lalu tetapi akta perkawinan belum terbit.",
         "akta perkawinan sudah terbit dan dapat diambil di loket pencatatan sipil."),
    ],
    "pindah-datang": [
        ("Surat pindah belum diproses",
         "Saya sudah menyerahkan SKPWNI dari daerah asal dua minggu lalu.",
         "perpindahan Bapak/Ibu sudah kami proses; KK dan KTP-el baru dapat diambil."),
    ],
    "ikd": [
        ("Aktivasi IKD gagal terus", "Aplikasi IKD selalu gagal saat verifikasi wajah.",
         "akun IKD Bapak/Ibu sudah kami atur ulang; silakan mencoba aktivasi kembali."),
    ],
    "legalisir": [
        ("Legalisir dokumen ditolak", "Legalisir fotokopi akta saya ditolak tanpa penjelasan.",
         "legalisir dapat dilayani dengan membawa dokumen asli; mohon maaf atas "
         "ketidakjelasan informasi petugas."),
    ],
    "kualitas-layanan": [
        ("Antrean layanan terlalu lama",
         "Saya mengantre lebih dari tiga jam untuk mengurus dokumen.",
         "kami menambah satu loket dan membuka antrean daring mulai bulan ini."),
        ("Petugas loket bersikap tidak ramah",
         "Petugas loket membentak orang tua saya yang sudah lanjut usia.",
         "petugas yang bersangkutan sudah kami tegur dan kami ingatkan standar pelayanan."),
    ],
}  # fmt: skip
GENERAL = [
    ("Pertanyaan tentang layanan kependudukan",
     "Saya ingin menanyakan persyaratan layanan yang saya perlukan.",
     "persyaratan layanan sudah kami kirimkan dan dapat dilihat di laman resmi kami."),
]  # fmt: skip
REFERRAL = (
    "urusan ini menjadi kewenangan instansi lain; pengaduan Bapak/Ibu sudah kami teruskan "
    "kepada instansi yang berwenang."
)

ANSWER = (
    "Terima kasih atas pengaduan Bapak/Ibu. Setelah kami periksa, {fix} Apabila masih ada "
    "kendala, silakan hubungi loket pengaduan."
)
REVISED = " Nomor registrasi berkas tercantum pada tanda terima Bapak/Ibu."
KASI_REVISED = " Layanan ini tidak dipungut biaya."

RETURN_NOTES = {
    "kasi": (
        "Sebutkan nomor registrasi berkas dan jadwal pengambilan.",
        "Bahasa jawaban kurang sopan; mohon diperbaiki.",
        "Periksa kembali data pelapor sebelum menjawab.",
    ),
    "kabid": (
        "Tambahkan dasar hukum: Permendagri 108 Tahun 2019.",
        "Jelaskan tindak lanjut bila pelapor belum puas.",
    ),
}
INFO_QUESTION = "Mohon kirimkan foto dokumen yang Bapak/Ibu maksud agar dapat kami periksa."
INFO_REPLY = "Berikut saya sampaikan keterangan yang diminta. Terima kasih."
RATING_COMMENTS = (
    "Terima kasih, masalah saya selesai.",
    "Jawabannya cepat dan jelas.",
    "Masih harus datang ke kantor, tetapi sudah jelas.",
    "Kurang puas, prosesnya lama.",
)
