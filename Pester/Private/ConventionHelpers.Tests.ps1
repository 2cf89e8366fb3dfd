<#
    The module's shared conventions, each in one private helper: Stop-VmmCommand (terminating errors and their
    VmmBackup. id prefix), Test-VmmPathRelation (path equality, containment, overlap) and New-VmmDscState (the
    observed state the DSC resources read). The last part checks that no copy of them is left in templates/.
#>

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    Import-Module (Join-Path $repoRoot 'generated/VmmBackup/VmmBackup.psd1') -Force
    $module = Get-Module VmmBackup
    $onWindows = [System.IO.Path]::DirectorySeparatorChar -eq '\'
}

AfterAll { Remove-Module VmmBackup -Force -ErrorAction SilentlyContinue }

Describe 'Stop-VmmCommand' {
    BeforeAll {
        # An advanced function that stops through the helper, as a cmdlet of the module does.
        $invokeStop = {
            param([hashtable] $Arguments)
            & $module {
                param($Arguments)
                function Test-VmmStopCaller {
                    [CmdletBinding()]
                    param($Arguments)
                    Stop-VmmCommand -Cmdlet $PSCmdlet @Arguments
                }
                Test-VmmStopCaller -Arguments $Arguments
            } $Arguments
        }
    }

    It 'throws the record with the prefixed id, the category, the target and the message, as the caller' {
        $record = $null
        try { & $invokeStop @{ Message = "The path 'C:\' is a root."; ErrorId = 'RootPath'; Category = 'InvalidArgument'; Target = 'C:\' } } catch { $record = $_ }
        $record | Should -Not -BeNullOrEmpty
        $record.FullyQualifiedErrorId | Should -Be 'VmmBackup.RootPath,Test-VmmStopCaller'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be 'C:\'
        $record.Exception.Message | Should -Be "The path 'C:\' is a root."
        $record.Exception | Should -BeOfType System.InvalidOperationException
    }

    It 'keeps the inner exception and the exception type it is given' {
        $inner = New-Object System.IO.IOException 'disk full'
        $record = $null
        try { & $invokeStop @{ Message = 'Cannot write.'; ErrorId = 'WriteFailed'; Category = 'WriteError'; InnerException = $inner; ExceptionType = [System.IO.IOException] } } catch { $record = $_ }
        $record.Exception | Should -BeOfType System.IO.IOException
        $record.Exception.InnerException.Message | Should -Be 'disk full'
        $record.TargetObject | Should -BeNullOrEmpty
    }

    It 'with -NonTerminating writes the same record through the caller and goes on' {
        $output = & $module {
            function Test-VmmWriteCaller {
                [CmdletBinding()]
                param()
                Stop-VmmCommand -Cmdlet $PSCmdlet -NonTerminating -Message 'One file was skipped.' -ErrorId SourceReadFailed -Category ReadError -Target 'a.vhdx'
                'went on'
            }
            Test-VmmWriteCaller -ErrorVariable written -ErrorAction SilentlyContinue
            $written
        }
        $output[0] | Should -Be 'went on'
        $output[1].FullyQualifiedErrorId | Should -Be 'VmmBackup.SourceReadFailed,Test-VmmWriteCaller'
        $output[1].CategoryInfo.Category | Should -Be 'ReadError'
        $output[1].TargetObject | Should -Be 'a.vhdx'
    }

    It 'refuses an id that already carries the prefix (the prefix is applied in one place)' {
        { & $invokeStop @{ Message = 'x'; ErrorId = 'VmmBackup.RootPath'; Category = 'InvalidArgument' } } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Test-VmmStopCaller'
    }
}

Describe 'Test-VmmPathRelation' {
    It '<Path> is <Relation> <Other>: <Expected>' -ForEach @(
        @{ Path = '/srv/library'; Other = '/srv/library/'; Relation = 'Equal'; Expected = $true }
        @{ Path = '/srv/library/iso'; Other = '/srv/library'; Relation = 'Within'; Expected = $true }
        @{ Path = '/srv/library'; Other = '/srv/library'; Relation = 'Within'; Expected = $false }
        @{ Path = '/srv/library2'; Other = '/srv/library'; Relation = 'Within'; Expected = $false }
        @{ Path = '/srv/library2'; Other = '/srv/library'; Relation = 'Overlap'; Expected = $false }
        @{ Path = '/srv'; Other = '/srv/library/iso'; Relation = 'Overlap'; Expected = $true }
        @{ Path = '/srv/library/iso'; Other = '/'; Relation = 'Within'; Expected = $true }
        @{ Path = 'database/VirtualManagerDB.bak'; Other = 'database'; Relation = 'Within'; Expected = $true }
        @{ Path = 'databases/x.bak'; Other = 'database'; Relation = 'Within'; Expected = $false }
        @{ Path = '/srv/library'; Other = '/srv/library'; Relation = 'AtOrWithin'; Expected = $true }
        @{ Path = '/srv/library/iso'; Other = '/srv/library/'; Relation = 'AtOrWithin'; Expected = $true }
        @{ Path = '/srv/libraryiso'; Other = '/srv/library'; Relation = 'AtOrWithin'; Expected = $false }
    ) {
        & $module { param($p, $o, $r) Test-VmmPathRelation -Path $p -Other $o -Relation $r } $Path $Other $Relation | Should -Be $Expected
    }

    It 'compares registry keys ignoring case, separated by \ (-Registry)' {
        & $module { Test-VmmPathRelation -Path 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings\SQL' -Other 'hkey_local_machine\software\microsoft\Microsoft System Center Virtual Machine Manager Server\Settings' -Relation Within -Registry } | Should -BeTrue
        & $module { Test-VmmPathRelation -Path 'HKEY_LOCAL_MACHINE\SOFTWARE\X\Settings2' -Other 'HKEY_LOCAL_MACHINE\SOFTWARE\X\Settings' -Relation AtOrWithin -Registry } | Should -BeFalse
        & $module { Test-VmmPathRelation -Path 'HKEY_LOCAL_MACHINE\SOFTWARE\X\Sql' -Other 'HKEY_LOCAL_MACHINE\software\x\SQL' -Relation Equal -Registry } | Should -BeTrue
    }

    It 'ignores case on Windows only' {
        $result = & $module { Test-VmmPathRelation -Path '/SRV/Library' -Other '/srv/library' -Relation Equal }
        $result | Should -Be $onWindows
    }
}

Describe 'New-VmmDscState' {
    It 'starts with nothing found and nothing verified, the resource properties before Detail' {
        $state = & $module { New-VmmDscState -Property Database, Shares }
        @($state.PSObject.Properties.Name) | Should -Be @('Found', 'LatestBackup', 'LatestBackupTime', 'AgeHours', 'Verified', 'Database', 'Shares', 'Detail')
        $state.Found | Should -BeFalse
        $state.Verified | Should -BeNullOrEmpty
        $state.Detail | Should -BeNullOrEmpty
    }

    It 'is the record every DSC reader returns' {
        $missing = Join-Path $TestDrive 'missing'
        $database = & $module { param($p) Get-VmmDscDatabaseBackup -Path $p } $missing
        $registry = & $module { param($p) Get-VmmDscRegistryBackup -Path $p -SettingsKey 'HKLM\SOFTWARE\x' -SqlSubkey 'Sql' } $missing
        @($database.PSObject.Properties.Name) | Should -Be @('Found', 'LatestBackup', 'LatestBackupTime', 'AgeHours', 'Verified', 'Database', 'Detail')
        @($registry.PSObject.Properties.Name) | Should -Be @('Found', 'LatestBackup', 'LatestBackupTime', 'AgeHours', 'Verified', 'IncludesSql', 'Detail')
        $database.Detail | Should -Match 'does not exist'
    }
}

Describe 'No copy of the conventions outside their helpers' {
    BeforeAll {
        $files = @(Get-ChildItem -LiteralPath (Join-Path $repoRoot 'templates') -Recurse -File -Include '*.ps1' |
                Where-Object { $_.FullName -notmatch '[\\/]stubs[\\/]' })
        $parsed = foreach ($file in $files) {
            $tokens = $null; $errors = $null
            [pscustomobject]@{ Name = $file.Name; Text = [System.IO.File]::ReadAllText($file.FullName); Ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors) }
        }
        $findIn = {
            param([scriptblock] $Predicate, [string[]] $Except)
            foreach ($file in $parsed) {
                if ($Except -contains $file.Name) { continue }
                foreach ($node in $file.Ast.FindAll($Predicate, $true)) { '{0}:{1}: {2}' -f $file.Name, $node.Extent.StartLineNumber, $node.Extent.Text.Split("`n")[0] }
            }
        }
    }

    It 'reads the templates' {
        $files.Count | Should -BeGreaterThan 80
    }

    It 'stops only through Stop-VmmCommand: no ThrowTerminatingError, no ErrorRecord built, no error closure' {
        @(& $findIn { param($n) $n -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and $n.Member.Value -eq 'ThrowTerminatingError' } @('Stop-VmmCommand.ps1')) | Should -BeNullOrEmpty
        @(& $findIn { param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'New-Object' -and $n.Extent.Text -match 'Automation\.ErrorRecord\b' } @('Stop-VmmCommand.ps1')) | Should -BeNullOrEmpty
        @(& $findIn { param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Left.Extent.Text -eq '$fail' } @()) | Should -BeNullOrEmpty
        # The prefix is Stop-VmmCommand's: no error id spelled with it anywhere else.
        $prefixed = foreach ($file in @($parsed | Where-Object Name -ne 'Stop-VmmCommand.ps1')) {
            foreach ($match in [regex]::Matches($file.Text, "ErrorId\s*=?\s*\(?\s*['`"]VmmBackup\.")) { "$($file.Name): $($match.Value)" }
        }
        @($prefixed) | Should -BeNullOrEmpty
    }

    It 'builds the DSC state record only in New-VmmDscState' {
        @(& $findIn {
                param($n)
                $n -is [System.Management.Automation.Language.HashtableAst] -and
                @($n.KeyValuePairs | Where-Object { $_.Item1.Extent.Text -eq 'Found' }).Count -eq 1 -and
                @($n.KeyValuePairs | Where-Object { $_.Item1.Extent.Text -in 'LatestBackupTime', 'AgeHours', 'Verified' }).Count -ge 1
            } @('New-VmmDscState.ps1')) | Should -BeNullOrEmpty
    }

    It 'compares paths for containment only in Test-VmmPathRelation' {
        $copies = foreach ($file in $parsed) {
            if ($file.Name -eq 'Test-VmmPathRelation.ps1') { continue }
            foreach ($match in [regex]::Matches($file.Text, "StartsWith\([^\r\n]*\+\s*(\`$separator|'/'|'\\'|\[System\.IO\.Path\]::DirectorySeparatorChar)")) { "$($file.Name): $($match.Value)" }
        }
        @($copies) | Should -BeNullOrEmpty
    }
}
