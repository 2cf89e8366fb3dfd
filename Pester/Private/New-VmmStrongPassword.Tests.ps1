<#
    Where New-VmmStrongPassword's randomness comes from. Two pieces of evidence that it is the operating
    system's cryptographic generator and nothing else:
    - its syntax tree creates exactly one random source, a System.Security.Cryptography.RandomNumberGenerator,
      and names no System.Random and no Get-Random;
    - behaviour: that one creation is replaced by a recording source that hands out known bytes, and every
      character of the password must be the documented mapping of those bytes (rejection sampling over the
      71-character alphabet). A password drawing anything from System.Random or Get-Random, or ignoring the
      bytes it was given, does not match.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $command = & (Get-Module VmmBackup) { Get-Command -Name New-VmmStrongPassword -CommandType Function }
    $script:definition = $command.ScriptBlock.Ast
    while ($script:definition -and $script:definition -isnot [System.Management.Automation.Language.FunctionDefinitionAst]) {
        $script:definition = $script:definition.Parent
    }

    function Get-RandomSourceCreation {
        # Static member calls on a type that derives from RandomNumberGenerator (Create(), or a constructor).
        $script:definition.FindAll({
                param($node)
                ($node -is [System.Management.Automation.Language.InvokeMemberExpressionAst]) -and $node.Static -and
                ($node.Expression -is [System.Management.Automation.Language.TypeExpressionAst]) -and
                ($null -ne $node.Expression.TypeName.GetReflectionType()) -and
                [System.Security.Cryptography.RandomNumberGenerator].IsAssignableFrom($node.Expression.TypeName.GetReflectionType())
            }, $true)
    }

    function ConvertTo-PlainText {
        param([System.Security.SecureString] $Secure)
        (New-Object System.Management.Automation.PSCredential -ArgumentList 'x', $Secure).GetNetworkCredential().Password
    }

    # Runs the module's own function text with its random source replaced by $RecordingRandomSource.
    function Invoke-WithRecordingSource {
        param([byte[]] $Bytes, [int] $Length)
        $creation = @(Get-RandomSourceCreation)[0]
        $start = $script:definition.Extent.StartOffset
        $text = $script:definition.Extent.Text
        $patched = $text.Substring(0, $creation.Extent.StartOffset - $start) + '$RecordingRandomSource' + $text.Substring($creation.Extent.EndOffset - $start)
        $RecordingRandomSource = [pscustomobject]@{ Bytes = $Bytes; Position = 0; Calls = 0; Disposed = $false }
        $RecordingRandomSource | Add-Member -MemberType ScriptMethod -Name GetBytes -Value {
            param([byte[]] $Buffer)
            $this.Calls++
            for ($i = 0; $i -lt $Buffer.Length; $i++) {
                $Buffer[$i] = $this.Bytes[$this.Position % $this.Bytes.Length]
                $this.Position++
            }
        }
        $RecordingRandomSource | Add-Member -MemberType ScriptMethod -Name Dispose -Value { $this.Disposed = $true }
        $secure = & ([scriptblock]::Create($patched + "`nNew-VmmStrongPassword -Length $Length"))
        [pscustomobject]@{ Password = ConvertTo-PlainText $secure; Source = $RecordingRandomSource }
    }

    # The documented mapping: bytes at or above 213 (= 256 - 256 mod 71) are skipped, others pick alphabet[b mod 71].
    $script:alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ' + 'abcdefghijkmnopqrstuvwxyz' + '23456789' + '!#$%&*+-=?@^_~'
    function Get-ExpectedPassword {
        param([byte[]] $Bytes, [int] $Length)
        $out = New-Object System.Text.StringBuilder
        $i = 0
        while ($out.Length -lt $Length) {
            $b = $Bytes[$i % $Bytes.Length]
            $i++
            if ($b -lt 213) { $null = $out.Append($script:alphabet[$b % 71]) }
        }
        $out.ToString()
    }
    # 64 bytes that cycle: every fifth one is in the rejected range, the rest cover all four classes early.
    $script:bytes = [byte[]](0..63 | ForEach-Object { if ($_ % 5 -eq 4) { 213 + ($_ % 43) } else { ($_ * 37) % 213 } })
}

AfterAll {
    Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue
}

Describe 'New-VmmStrongPassword draws from the operating system cryptographic generator' {
    It 'creates exactly one random source, a RandomNumberGenerator, and names no System.Random or Get-Random' {
        $script:definition | Should -Not -BeNullOrEmpty
        $script:alphabet.Length | Should -Be 71
        $creations = @(Get-RandomSourceCreation)
        $creations.Count | Should -Be 1
        $creations[0].Expression.TypeName.GetReflectionType().Namespace | Should -Be 'System.Security.Cryptography'
        $typeNames = $script:definition.FindAll({ param($n) $n -is [System.Management.Automation.Language.TypeExpressionAst] -or $n -is [System.Management.Automation.Language.TypeConstraintAst] }, $true) |
            ForEach-Object { $_.TypeName.GetReflectionType() } | Where-Object { $_ }
        $typeNames | Should -Not -Contain ([System.Random])
        $commands = $script:definition.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)
        @($commands | Where-Object { $_.GetCommandName() -eq 'Get-Random' }).Count | Should -Be 0
        $newObjectTypes = $commands | Where-Object { $_.GetCommandName() -eq 'New-Object' } |
            ForEach-Object { $_.CommandElements | Select-Object -Skip 1 | Where-Object { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] } } |
            ForEach-Object { $_.Value -as [type] } | Where-Object { $_ }
        $newObjectTypes | Should -Not -Contain ([System.Random])
    }

    It 'builds every character from the bytes the random source hands out, skipping those that would bias it' {
        $expected = Get-ExpectedPassword -Bytes $script:bytes -Length 24
        $expected | Should -MatchExactly '[A-Z]' -Because 'the test bytes must satisfy the class rule on the first draw'
        $expected | Should -MatchExactly '[a-z]'
        $expected | Should -Match '[2-9]'
        $expected | Should -Match '[^A-Za-z0-9]'
        $run = Invoke-WithRecordingSource -Bytes $script:bytes -Length 24
        $run.Password | Should -BeExactly $expected
        $run.Source.Calls | Should -Be 1
        $run.Source.Disposed | Should -BeTrue
    }

    It 'asks the source again when one buffer is not enough (128 characters), and still uses nothing else' {
        $run = Invoke-WithRecordingSource -Bytes $script:bytes -Length 128
        $run.Password | Should -BeExactly (Get-ExpectedPassword -Bytes $script:bytes -Length 128)
        $run.Source.Calls | Should -BeGreaterThan 2
    }

    It 'draws again when a password misses a character class, from the same source' {
        # The first buffer holds only upper-case letters (bytes 0..23): that password is thrown away, and the
        # next one is built from the next buffer the source hands out.
        $upperOnly = [byte[]](0..23)
        $bytes = [byte[]]($upperOnly + $upperOnly + @(255) * 16 + $script:bytes)
        $run = Invoke-WithRecordingSource -Bytes $bytes -Length 24
        $run.Password | Should -BeExactly (Get-ExpectedPassword -Bytes $script:bytes -Length 24)
        $run.Source.Calls | Should -Be 2
    }
}
