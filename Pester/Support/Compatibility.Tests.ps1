<#
    Find-UnsupportedSyntax (Pester/Support/Compatibility.psm1): each PowerShell 6/7-only construct of the corpus is
    found once, on its line, and Windows PowerShell 5.1 code - including look-alikes - is not flagged.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Compatibility.psm1') -Force
}

AfterAll {
    Remove-Module Compatibility -ErrorAction SilentlyContinue
}

Describe 'Find-UnsupportedSyntax finds PowerShell 7-only constructs' {
    It 'finds <Construct> in: <Code>' -ForEach @(
        @{ Construct = 'TernaryOperator'; Code = '$a = $ready ? ''yes'' : ''no''' }
        @{ Construct = 'TernaryOperator'; Code = '"state: $($ok ? 1 : 0)"' }
        @{ Construct = 'NullCoalescingOperator'; Code = '$name = $given ?? ''default''' }
        @{ Construct = 'NullCoalescingAssignment'; Code = '$cache ??= @{}' }
        @{ Construct = 'NullConditionalMemberAccess'; Code = '${server}?.Name' }
        @{ Construct = 'NullConditionalMemberAccess'; Code = '(Get-Item .)?.GetType()' }
        @{ Construct = 'NullConditionalIndex'; Code = '${list}?[0]' }
        @{ Construct = 'PipelineChainOperator'; Code = 'Test-Path x && Remove-Item x' }
        @{ Construct = 'PipelineChainOperator'; Code = 'Get-Item x || Write-Warning missing' }
        @{ Construct = 'PipelineChainOperator'; Code = 'a && b || c' }
        @{ Construct = 'ForEachObjectParallel'; Code = '1..4 | ForEach-Object -Parallel { $_ }' }
        @{ Construct = 'ForEachObjectParallel'; Code = '1..4 | % -Parallel { $_ } -ThrottleLimit 2' }
        @{ Construct = 'ForEachObjectParallel'; Code = '1..4 | foreach -parallel { $_ }' }
        @{ Construct = 'ForEachObjectParallel'; Code = '1..4 | ForEach-Object -Pa { $_ }' }
        @{ Construct = 'ForEachObjectParallel'; Code = '1..4 | Microsoft.PowerShell.Core\ForEach-Object -Parallel { $_ }' }
        @{ Construct = 'CleanBlock'; Code = "function Use-Thing {`n    process { 'work' }`n    clean { 'tidy' }`n}" }
        @{ Construct = 'CleanBlock'; Code = '& { end { 1 } clean { 2 } }' }
        @{ Construct = 'BackgroundOperator'; Code = 'Start-Sleep -Seconds 5 &' }
        @{ Construct = 'GenericMethodCall'; Code = '[System.Array]::Empty[string]()' }
        @{ Construct = 'ReplaceScriptBlock'; Code = '''abc'' -replace ''b'', { $_.Value.ToUpper() }' }
        @{ Construct = 'UnicodeEscape'; Code = '"smile `u{263A}"' }
        @{ Construct = 'EscapeCharacterEscape'; Code = '"`e[1mbold`e[0m"' }
        @{ Construct = 'EscapeCharacterEscape'; Code = '@"' + "`n" + 'line `e[0m' + "`n" + '"@' }
        @{ Construct = 'NumericLiteralSuffix'; Code = '$n = 42u' }
        @{ Construct = 'NumericLiteralSuffix'; Code = '$n = 7uy' }
        @{ Construct = 'NumericLiteralSuffix'; Code = '$n = 12345678901234567890n' }
        @{ Construct = 'NumericLiteralSuffix'; Code = '$n = 1skb' }
        @{ Construct = 'BinaryNumberLiteral'; Code = '$flags = 0b1010' }
        @{ Construct = 'ValidationErrorMessage'; Code = 'function F { param([ValidateScript({ $_ -gt 0 }, ErrorMessage = ''must be positive'')] [int] $N) }' }
        @{ Construct = 'ValidationErrorMessage'; Code = 'function F { param([ValidatePattern(''^a'', ErrorMessage = ''{0} must start with a'')] $S) }' }
        @{ Construct = 'ValidateRangeKind'; Code = 'function F { param([ValidateRange(''Positive'')] [int] $N) }' }
        @{ Construct = 'ArgumentCompletionsAttribute'; Code = 'function F { param([ArgumentCompletions(''a'', ''b'')] $S) }' }
        @{ Construct = 'PS7Attribute'; Code = 'function F { param([ValidateNotNullOrWhiteSpace()] [string] $S) }' }
        @{ Construct = 'PS6Parameter'; Code = '$secure | ConvertFrom-SecureString -AsPlainText' }
        @{ Construct = 'PS6Parameter'; Code = 'Import-Module Hyper-V -UseWindowsPowerShell' }
        @{ Construct = 'PS6Parameter'; Code = 'Get-Service | Where-Object -Not -Property DependentServices' }
        @{ Construct = 'PS6Command'; Code = '1, 2 | Join-String -Separator '',''' }
        @{ Construct = 'PS6Command'; Code = 'Test-Json -Json ''{}''' }
        @{ Construct = 'PS6Parameter'; Code = '$text | ConvertFrom-Json -AsHashtable' }
        @{ Construct = 'PS6Parameter'; Code = 'Get-Content -Path x -AsByteStream' }
        @{ Construct = 'PS6Parameter'; Code = 'Invoke-RestMethod -Uri https://127.0.0.1/ -SkipCertificateCheck' }
        @{ Construct = 'PS6Encoding'; Code = 'Set-Content -Path x -Value 1 -Encoding utf8NoBOM' }
        @{ Construct = 'PS6Encoding'; Code = 'Out-File -FilePath x -Encoding:utf8BOM' }
        @{ Construct = 'PS6AutomaticVariable'; Code = 'if ($IsWindows) { ''win'' }' }
        @{ Construct = 'PS6AutomaticVariable'; Code = '$PSStyle.Reset' }
        @{ Construct = 'NetFrameworkApi'; Code = '$rel = [System.IO.Path]::GetRelativePath($root, $file)' }
        @{ Construct = 'NetFrameworkApi'; Code = '[IO.Path]::Join($a, $b)' }
        @{ Construct = 'NetFrameworkApi'; Code = '[System.IO.File]::Move($temp, $path, $true)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$full = [System.IO.Path]::GetFullPath($relative, $base)' }
        @{ Construct = 'NetFrameworkApi'; Code = '[Convert]::ToHexString($bytes)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$hash = [System.Security.Cryptography.SHA256]::HashData($bytes)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$salt = [Security.Cryptography.RandomNumberGenerator]::GetBytes(16)' }
        @{ Construct = 'NetFrameworkApi'; Code = '[System.Security.Cryptography.RandomNumberGenerator]::Fill($buffer)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$latin = [System.Text.Encoding]::Latin1' }
        @{ Construct = 'NetFrameworkApi'; Code = '$pct = [math]::Clamp($value, 0, 100)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$id = [Environment]::ProcessId' }
        @{ Construct = 'NetFrameworkApi'; Code = 'if ([System.OperatingSystem]::IsWindows()) { 1 }' }
        @{ Construct = 'NetFrameworkApi'; Code = '$json = [System.Text.Json.JsonSerializer]::Serialize($o)' }
        @{ Construct = 'NetFrameworkApi'; Code = 'function F { param([System.Span[byte]] $Data) }' }
        @{ Construct = 'NetFrameworkApi'; Code = '$h = [System.Security.Cryptography.IncrementalHash]::CreateHash(''SHA256'')' }
        @{ Construct = 'NetFrameworkApi'; Code = '$hasher = New-Object -TypeName System.Security.Cryptography.IncrementalHash' }
        @{ Construct = 'NetFrameworkApi'; Code = '$os = [System.Runtime.InteropServices.RuntimeInformation]::OSDescription' }
        @{ Construct = 'NetFrameworkApi'; Code = '$client = [System.Net.Http.HttpClient]::new()' }
        @{ Construct = 'NetFrameworkApi'; Code = '$options = New-Object System.IO.EnumerationOptions' }
        @{ Construct = 'NetFrameworkApi'; Code = '$parts = $line.Split('','', [System.StringSplitOptions]::TrimEntries)' }
        @{ Construct = 'NetFrameworkApi'; Code = '(Get-Item $temp).MoveTo($path, $true)' }
        @{ Construct = 'NetFrameworkApi'; Code = '$text = $raw.ReplaceLineEndings("`n")' }
        @{ Construct = 'SplitOnString'; Code = '$parts = $line.Split(''::'')' }
        @{ Construct = 'SplitOnString'; Code = '$pairs = $text.Split("`r`n")' }
        @{ Construct = 'StringComparisonOverload'; Code = '$name.Contains(''vmm'', [System.StringComparison]::OrdinalIgnoreCase)' }
        @{ Construct = 'StringComparisonOverload'; Code = '$path.Replace(''C:'', ''D:'', [StringComparison]::OrdinalIgnoreCase)' }
        @{ Construct = 'JsonArrayNotEnumerated'; Code = '$records = @($text | ConvertFrom-Json)' }
        @{ Construct = 'JsonArrayNotEnumerated'; Code = '$good = Get-Content x -Raw | ConvertFrom-Json | Where-Object { $_.ok }' }
        @{ Construct = 'FileEncodingDiffers'; Code = 'Get-Process > processes.txt' }
        @{ Construct = 'FileEncodingDiffers'; Code = 'Write-Output $line >> $log' }
        @{ Construct = 'FileEncodingDiffers'; Code = '$text | Out-File -FilePath $file' }
        @{ Construct = 'FileEncodingDiffers'; Code = 'Set-Content -LiteralPath $file -Value $json -Encoding UTF8' }
        @{ Construct = 'FileEncodingDiffers'; Code = 'Add-Content -LiteralPath $log -Value $line' }
        @{ Construct = 'FileEncodingDiffers'; Code = '$rows | Export-Csv -Path $csv -NoTypeInformation' }
        @{ Construct = 'FileEncodingDiffers'; Code = 'Set-Content -Path $file -Value $bytes -Encoding Byte' }
        @{ Construct = 'FileEncodingDiffers'; Code = '$lines | Tee-Object -FilePath $log' }
        @{ Construct = 'FileEncodingDiffers'; Code = '$bytes = [System.Text.Encoding]::Default.GetBytes($s)' }
        @{ Construct = 'JsonDepthUnstated'; Code = '$record | ConvertTo-Json' }
        @{ Construct = 'JsonDepthUnstated'; Code = 'ConvertTo-Json -InputObject $snapshot -Compress' }
        @{ Construct = 'NativeStderrRedirect'; Code = 'function Invoke-Tool { $output = & $exe @arguments 2>&1 | ForEach-Object { [string]$_ } }' }
        @{ Construct = 'NativeStderrRedirect'; Code = 'function Get-Version { wbadmin.exe get versions 2>$null }' }
        @{ Construct = 'NativeStderrRedirect'; Code = '$list = cmdkey /list 2>&1' }
        @{ Construct = 'NativeStderrRedirect'; Code = "function F {`n    `$o = & `$exe /x 2>&1`n    `$ErrorActionPreference = 'Continue'`n}" }
    ) {
        $findings = @(Find-UnsupportedSyntax -ScriptDefinition $Code)
        $findings.Construct | Should -Be @($Construct)
        $findings[0].Path | Should -Be '<script>'
        $findings[0].Line | Should -BeGreaterThan 0
        $findings[0].Text | Should -Not -BeNullOrEmpty
    }

    It 'reports a file that does not parse' {
        $findings = @(Find-UnsupportedSyntax -ScriptDefinition "`$ok = 1`nfunction Broken { param(`$a")
        $findings.Count | Should -BeGreaterThan 0
        @($findings.Construct | Select-Object -Unique) | Should -Be @('ParseError')
        $findings[0].Line | Should -Be 2
    }

    It 'parses a DSC configuration off Windows, and still finds its errors and constructs' {
        $configuration = @(
            'Configuration Backups'
            '{'
            '    param([string[]] $NodeName = @(''localhost''))'
            '    Import-DscResource -ModuleName ''VmmBackup'''
            '    Node $NodeName'
            '    {'
            '        VmmDatabaseBackup Database'
            '        {'
            '            Path        = ''\\backup01\vmm'''
            '            MaxAgeHours = 24'
            '        }'
            '    }'
            '}'
        ) -join "`n"
        $syntax = Get-ScriptSyntax -ScriptDefinition $configuration
        @($syntax.Errors).Count | Should -Be 0
        Find-UnsupportedSyntax -ScriptDefinition $configuration | Should -BeNullOrEmpty
        if ($syntax.ConfigurationAsFunction) {
            $syntax.Ast.Extent.Text.Substring(0, 13) | Should -Be 'function     '
        }

        $broken = $configuration.Replace('MaxAgeHours = 24', 'MaxAgeHours = (24')
        @((Get-ScriptSyntax -ScriptDefinition $broken).Errors).Count | Should -BeGreaterThan 0
        $newer = $configuration.Replace('MaxAgeHours = 24', 'MaxAgeHours = ($hours ?? 24)')
        @(Find-UnsupportedSyntax -ScriptDefinition $newer).Construct | Should -Be @('NullCoalescingOperator')
    }

    It 'reports the line of each construct, in order' {
        $code = @(
            '$a = 1'
            '$b = $a ? 2 : 3'
            'Write-Output $a'
            '$c = $b ?? 4'
            'Get-Item x && Get-Item y'
        ) -join "`n"
        $findings = @(Find-UnsupportedSyntax -ScriptDefinition $code)
        $findings.Construct | Should -Be @('TernaryOperator', 'NullCoalescingOperator', 'PipelineChainOperator')
        $findings.Line | Should -Be @(2, 4, 5)
        $findings[0].Text | Should -Be '$a ? 2 : 3'
    }

    It 'checks files given by -Path and through the pipeline, naming each file' {
        $one = Join-Path $TestDrive 'one.ps1'
        $two = Join-Path $TestDrive 'two.psm1'
        $clean = Join-Path $TestDrive 'clean.ps1'
        Set-Content -LiteralPath $one -Value "`$x = 1`r`n`$y = `$x ?? 2" -Encoding ascii
        Set-Content -LiteralPath $two -Value 'function G { 1..2 | ForEach-Object -Parallel { $_ } }' -Encoding ascii
        Set-Content -LiteralPath $clean -Value 'function H { param([string] $S) $S.Trim() }' -Encoding ascii

        $byPath = @(Find-UnsupportedSyntax -Path $one, $two, $clean)
        $byPath.Construct | Should -Be @('NullCoalescingOperator', 'ForEachObjectParallel')
        $byPath[0].Path | Should -Be (Resolve-Path $one).ProviderPath
        $byPath[0].Line | Should -Be 2
        $byPath[1].Path | Should -Be (Resolve-Path $two).ProviderPath

        $byPipeline = @(Get-ChildItem -LiteralPath $TestDrive -File | Find-UnsupportedSyntax)
        @($byPipeline.Construct | Sort-Object) | Should -Be @('ForEachObjectParallel', 'NullCoalescingOperator')
    }

    It 'fails on a file that does not exist' {
        { Find-UnsupportedSyntax -Path (Join-Path $TestDrive 'missing.ps1') } | Should -Throw
    }
}

Describe 'Find-UnsupportedSyntax leaves Windows PowerShell 5.1 code alone' {
    It 'does not flag: <Code>' -ForEach @(
        @{ Code = '$a = if ($ready) { ''yes'' } else { ''no'' }' }
        @{ Code = '$name = $given; if ($null -eq $name) { $name = ''default'' }' }
        @{ Code = '$a? = 1; $a?.Length' }
        @{ Code = '$x = $h[''key'']; $y = $list[0]' }
        @{ Code = 'Get-ChildItem | Where-Object { $_.Length -gt 0 } | ? { $_ } | % { $_.Name }' }
        @{ Code = '1..4 | ForEach-Object -Process { $_ } -Begin { } -End { }' }
        @{ Code = '1..4 | ForEach-Object -PipelineVariable p { $_ }' }
        @{ Code = 'foreach ($i in 1..3) { $i }' }
        @{ Code = '$ok = (Test-Path a) -and (Test-Path b) -or $force' }
        @{ Code = 'cmd /c "a && b"' }
        @{ Code = '''a && b || c ? d : e ?? f''' }
        @{ Code = '# $a ? $b : $c and $x ?? $y in a comment' }
        @{ Code = "function F {`n    begin { }`n    process { }`n    end { }`n}" }
        @{ Code = '$job = Start-Job -ScriptBlock { 1 }; $job | Wait-Job | Receive-Job' }
        @{ Code = '$s = ''abc'' -replace ''b'', ''B'''; }
        @{ Code = '"tab`t newline`n escaped backtick `` then e: ``e and `$e"' }
        @{ Code = '''single `e and `u{263A} are literal''' }
        @{ Code = '$n = 0x1F + 10kb + 1d + 2l + 1.5e3 + 0xFFl' }
        @{ Code = 'function F { param([ValidateRange(1, 10)] [int] $N, [ValidateSet(''a'', ''b'')] [string] $S, [ValidateScript({ $_ })] $T) }' }
        @{ Code = 'Set-Content -Path x -Value 1 -Encoding Unicode; Out-File -FilePath x -Encoding ascii; Add-Content x 1 -Encoding utf32' }
        @{ Code = 'Get-Item x 2>$null > $null; $lines | Tee-Object -Variable seen; [System.Text.Encoding]::UTF8.GetBytes($s)' }
        @{ Code = 'Get-Content -Path x -Raw -Encoding Byte' }
        @{ Code = '$text | ConvertFrom-Json; $o | ConvertTo-Json -Depth 5 -Compress' }
        @{ Code = '$isWindowsHost = $env:OS -eq ''Windows_NT''; $PSVersionTable.PSEdition' }
        @{ Code = '[ordered]@{ a = 1 }; [pscustomobject]@{ b = 2 }; [System.Collections.Generic.List[string]]::new()' }
        @{ Code = 'class Item { [string] $Name; Item([string] $n) { $this.Name = $n } }' }
        @{ Code = 'Get-Process | Sort-Object -Property CPU -Descending | Select-Object -First 5' }
        @{ Code = 'Start-Process -FilePath x -ArgumentList ''a'' -Wait -NoNewWindow' }
        @{ Code = 'function F { param([ValidateNotNullOrEmpty()] [string] $S, [ValidateNotNull()] $O) }' }
        @{ Code = '$plain = [System.Net.NetworkCredential]::new('''', $secure).Password; Import-Module Hyper-V -Force' }
        @{ Code = 'Get-Service | Where-Object -Property Status -EQ Running; Where-Object { -not $_.Enabled }' }
        @{ Code = '& $scriptBlock; . $file; $x = & { 1 }' }
        @{ Code = '[System.IO.File]::Move($temp, $path); [IO.Path]::Combine($a, $b, $c); [System.IO.Path]::GetFullPath($p)' }
        @{ Code = '$rng = [System.Security.Cryptography.RandomNumberGenerator]::Create(); $rng.GetBytes($buffer)' }
        @{ Code = '$sha = [System.Security.Cryptography.SHA256]::Create(); $sha.ComputeHash($bytes); [BitConverter]::ToString($h)' }
        @{ Code = '[System.Text.Encoding]::UTF8; [Text.Encoding]::GetEncoding(28591); [math]::Max(1, 2); [Environment]::OSVersion.Platform' }
        @{ Code = 'Add-Type -AssemblyName System.Net.Http; $client = New-Object System.Net.Http.HttpClient' }
        @{ Code = '[System.Collections.Generic.List[string]]::new(); New-Object System.Collections.Generic.HashSet[string]' }
        @{ Code = '$parts = $line.Split('',''); $cells = $row.Split([char]"`t"); $x = $s -split ''::''' }
        @{ Code = '$s.Contains(''a''); $s.Replace(''a'', ''b''); $s.StartsWith(''x'', [System.StringComparison]::OrdinalIgnoreCase)' }
        @{ Code = '$sb.Replace(''a'', ''b'', 0, 4); $list.Contains($item)' }
        @{ Code = '$info.MoveTo($path); $info.CopyTo($path, $true); $line.Split('','', [System.StringSplitOptions]::RemoveEmptyEntries)' }
        @{ Code = '$o = $text | ConvertFrom-Json; $all = @($text | ConvertFrom-Json | ForEach-Object { $_ })' }
        @{ Code = 'function Invoke-Tool { $ErrorActionPreference = ''Continue''; $output = & $exe @arguments 2>&1 }' }
        @{ Code = '& $command @parameters -ErrorAction Continue 2>&1; Get-Item x 2>&1; Write-Output 1 2>$null' }
        @{ Code = '$record | ConvertTo-Json -Depth 2; ConvertTo-Json -InputObject $o -Compress -Dep 6' }
    ) {
        Find-UnsupportedSyntax -ScriptDefinition $Code | Should -BeNullOrEmpty
    }
}
