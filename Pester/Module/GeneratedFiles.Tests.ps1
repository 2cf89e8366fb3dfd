<#
    QA of every generated file Windows reads: each PowerShell file under generated/ parses with no errors and has
    no construct Windows PowerShell 5.1 lacks (Pester/Support/Compatibility.psm1); each PowerShell file under
    generated/ and each file of the module folder generated/VmmBackup starts (after the BOM) with the generated
    header of src/emit/header.ts in its comment syntax, uses CRLF line ends only, and is ASCII or UTF-8 with BOM.
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $generated = Join-Path $repoRoot 'generated'
    $moduleRoot = Join-Path $generated 'VmmBackup'
    $powershellFiles = @(Get-ChildItem -Path $generated -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' -ErrorAction SilentlyContinue | Sort-Object FullName)
    $moduleFiles = @(Get-ChildItem -Path $moduleRoot -Recurse -File -ErrorAction SilentlyContinue | Sort-Object FullName)
    $windowsFiles = @($powershellFiles + $moduleFiles | Sort-Object FullName -Unique)

    $relative = { param($file) $file.FullName.Substring($generated.Length + 1).Replace('\', '/') }
    $powershellCases = foreach ($file in $powershellFiles) { @{ File = $file.FullName; Name = & $relative $file } }
    $windowsCases = foreach ($file in $windowsFiles) { @{ File = $file.FullName; Name = & $relative $file; Extension = $file.Extension.ToLowerInvariant() } }
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'Pester/Support/Compatibility.psm1') -Force

    # The notice, read from the emitter so there is one source of truth.
    $headerSource = [System.IO.File]::ReadAllText((Join-Path $repoRoot 'src/emit/header.ts'))
    if ($headerSource -notmatch "GENERATED_NOTICE = '([^']+)'") { throw 'GENERATED_NOTICE not found in src/emit/header.ts' }
    $notice = $Matches[1]
    # First line by file type, as generatedHeader() writes it for each comment style.
    $headerByExtension = @{
        '.ps1'  = "# $notice"
        '.psm1' = "# $notice"
        '.psd1' = "# $notice"
        '.txt'  = $notice
        '.md'   = "<!-- $notice -->"
        '.html' = "<!-- $notice -->"
        '.yml'  = "# $notice"
        '.yaml' = "# $notice"
        '.mof'  = "// $notice"
        '.ts'   = "// $notice"
    }
    $strictUtf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false, $true
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
        $tokens = $null
        $errors = $null
        [System.Management.Automation.Language.Parser]::ParseFile($File, [ref]$tokens, [ref]$errors) | Out-Null
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'uses no construct Windows PowerShell 5.1 lacks' {
        @(Find-UnsupportedSyntax -Path $File | ForEach-Object { "line $($_.Line): $($_.Construct): $($_.Text)" }) | Should -BeNullOrEmpty
    }
}

Describe 'Generated file <Name>' -ForEach $windowsCases {
    BeforeAll {
        $bytes = [System.IO.File]::ReadAllBytes($File)
        $hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
        $offset = 0
        if ($hasBom) { $offset = 3 }
        $text = $strictUtf8.GetString($bytes, $offset, $bytes.Length - $offset)
    }

    It 'is ASCII or UTF-8 with BOM' {
        $nonAscii = @($bytes | Where-Object { $_ -ge 0x80 }).Count
        if (-not $hasBom) {
            $nonAscii | Should -Be 0 -Because 'a file without BOM must be pure ASCII (5.1 reads it in the ANSI code page)'
        } else {
            # Strict decoding above throws on invalid UTF-8; reaching here means the bytes after the BOM are UTF-8.
            $text | Should -Not -BeNullOrEmpty
        }
    }

    It 'uses CRLF line ends only' {
        $text | Should -Not -Match '(?<!\r)\n' -Because 'every LF must follow a CR'
        $text | Should -Not -Match '\r(?!\n)' -Because 'every CR must precede an LF'
        $text | Should -Match '\r\n$' -Because 'the file ends with a line end'
    }

    It 'starts with the generated header' {
        $headerByExtension.ContainsKey($Extension) | Should -BeTrue -Because "a header rule for '$Extension' files must be decided"
        $firstLine = ($text -split "`r`n", 2)[0]
        $firstLine | Should -BeExactly $headerByExtension[$Extension]
    }
}
