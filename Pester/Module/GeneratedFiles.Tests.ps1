<#
    QA of the generated files. Checked: every PowerShell file under generated/, and every file of the module folder
    generated/VmmBackup.
    - PowerShell files parse with no errors (a DSC configuration is parsed as a function where this platform's
      PowerShell has no DSC schema store, see Get-ScriptSyntax) and have no construct Windows PowerShell 5.1
      lacks (Pester/Support/Compatibility.psm1).
    - Files Windows PowerShell reads (.ps1 .psm1 .psd1 .ps1xml, about_*.help.txt, .mof) start, after the BOM,
      with the generated header of src/emit/header.ts in their comment syntax, use CRLF line ends only and are
      ASCII or UTF-8 with BOM (5.1 reads a BOM-less file in the ANSI code page).
    - The other files (DSC v3 manifests and documents read by JSON/YAML tools) are UTF-8 without BOM with one kind
      of line end; those whose format has comments start with the header; JSON files parse.
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $generated = Join-Path $repoRoot 'generated'
    $moduleRoot = Join-Path $generated 'VmmBackup'
    $powershellFiles = @(Get-ChildItem -Path $generated -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' -ErrorAction SilentlyContinue | Sort-Object FullName)
    $moduleFiles = @(Get-ChildItem -Path $moduleRoot -Recurse -File -ErrorAction SilentlyContinue | Sort-Object FullName)
    $checkedFiles = @($powershellFiles + $moduleFiles | Sort-Object FullName -Unique)
    $windowsExtensions = @('.ps1', '.psm1', '.psd1', '.ps1xml', '.txt', '.mof')

    $relative = { param($file) $file.FullName.Substring($generated.Length + 1).Replace('\', '/') }
    $powershellCases = foreach ($file in $powershellFiles) { @{ File = $file.FullName; Name = & $relative $file } }
    $windowsCases = foreach ($file in $checkedFiles) {
        $extension = $file.Extension.ToLowerInvariant()
        if ($windowsExtensions -contains $extension) { @{ File = $file.FullName; Name = & $relative $file; Extension = $extension } }
    }
    $plainCases = foreach ($file in $checkedFiles) {
        $extension = $file.Extension.ToLowerInvariant()
        if ($windowsExtensions -notcontains $extension) { @{ File = $file.FullName; Name = & $relative $file; Extension = $extension } }
    }
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/Compatibility.psm1') -Force

    # The notice, read from the emitter so there is one source of truth.
    $headerSource = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'src/emit/header.ts'))
    if ($headerSource -notmatch "GENERATED_NOTICE = '([^']+)'") { throw 'GENERATED_NOTICE not found in src/emit/header.ts' }
    $notice = $Matches[1]
    # First line by file type, as generatedHeader() writes it for each comment style; $null: the format has no comments.
    $headerByExtension = @{
        '.ps1'    = "# $notice"
        '.psm1'   = "# $notice"
        '.psd1'   = "# $notice"
        '.ps1xml' = "<!-- $notice -->"
        '.txt'    = $notice
        '.mof'    = "// $notice"
        '.md'     = "<!-- $notice -->"
        '.html'   = "<!-- $notice -->"
        '.svg'    = "<!-- $notice -->"
        '.yml'    = "# $notice"
        '.yaml'   = "# $notice"
        '.ts'     = "// $notice"
        '.json'   = $null
    }
    $strictUtf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false, $true

    function Read-GeneratedText {
        param([string] $Path)
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        $offset = 0
        if ($hasBom) { $offset = 3 }
        # Strict decoding throws on bytes that are not UTF-8.
        $text = $strictUtf8.GetString($bytes, $offset, $bytes.Length - $offset)
        [pscustomobject]@{ Bytes = $bytes; HasBom = $hasBom; Text = $text }
    }
}

AfterAll {
    Remove-Module Compatibility -ErrorAction SilentlyContinue
}

Describe 'Generated files exist' {
    It 'finds PowerShell files and the module folder to check' -ForEach @{ PowerShellCount = $powershellCases.Count; WindowsCount = $windowsCases.Count } {
        $PowerShellCount | Should -BeGreaterThan 0
        $WindowsCount | Should -BeGreaterThan 0
        Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1' | Should -Exist
    }
}

Describe 'Generated PowerShell <Name>' -ForEach $powershellCases {
    It 'parses without errors' {
        $syntax = Get-ScriptSyntax -Path $File
        @($syntax.Errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'uses no construct Windows PowerShell 5.1 lacks' {
        @(Find-UnsupportedSyntax -Path $File | ForEach-Object { "line $($_.Line): $($_.Construct): $($_.Text)" }) | Should -BeNullOrEmpty
    }
}

Describe 'Generated Windows file <Name>' -ForEach $windowsCases {
    BeforeAll {
        $content = Read-GeneratedText -Path $File
    }

    It 'is ASCII or UTF-8 with BOM' {
        if (-not $content.HasBom) {
            @($content.Bytes | Where-Object { $_ -ge 0x80 }).Count | Should -Be 0 -Because 'a file without BOM must be pure ASCII'
        } else {
            $content.Text | Should -Not -BeNullOrEmpty
        }
    }

    It 'uses CRLF line ends only' {
        $content.Text | Should -Not -Match '(?<!\r)\n' -Because 'every LF must follow a CR'
        $content.Text | Should -Not -Match '\r(?!\n)' -Because 'every CR must precede an LF'
        $content.Text | Should -Match '\r\n$' -Because 'the file ends with a line end'
    }

    It 'starts with the generated header' {
        ($content.Text -split "`r`n", 2)[0] | Should -BeExactly $headerByExtension[$Extension]
    }
}

Describe 'Generated plain file <Name>' -ForEach $plainCases {
    BeforeAll {
        $content = Read-GeneratedText -Path $File
    }

    It 'is UTF-8 without BOM with one kind of line end' {
        $content.HasBom | Should -BeFalse
        $crlf = [regex]::Matches($content.Text, '\r\n').Count
        $lf = [regex]::Matches($content.Text, '\n').Count
        ($crlf -eq 0 -or $crlf -eq $lf) | Should -BeTrue -Because 'line ends must not be mixed'
    }

    It 'starts with the generated header where its format has comments, and JSON parses' {
        $headerByExtension.ContainsKey($Extension) | Should -BeTrue -Because "a header rule for '$Extension' files must be decided"
        $expected = $headerByExtension[$Extension]
        if ($null -ne $expected) {
            ($content.Text -split "`r?`n", 2)[0] | Should -BeExactly $expected
        }
        if ($Extension -eq '.json') {
            { $content.Text | ConvertFrom-Json -ErrorAction Stop } | Should -Not -Throw
        }
    }
}
